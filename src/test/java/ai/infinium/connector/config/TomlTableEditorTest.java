package ai.infinium.connector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The editor alone: where a key lands for each way a file can define its table. */
class TomlTableEditorTest {
    static final List<String> PROJECT = List.of("projects", "/home/me/my \"app\"");

    static String set(String text, List<String> table, String key, String value) throws Exception {
        TomlTableEditor e = new TomlTableEditor(text);
        e.set(table, key, value);
        return e.text();
    }

    @Test
    void aNewTableGetsAQuotedHeaderWhereANameIsNotBare() throws Exception {
        assertThat(set("model = \"m\"\n", PROJECT, "trust_level", "\"trusted\""))
                .isEqualTo("model = \"m\"\n\n[projects.\"/home/me/my \\\"app\\\"\"]\ntrust_level = \"trusted\"\n");
    }

    @Test
    void anExistingQuotedHeaderIsFoundWhateverItsQuotingAndSpacing() throws Exception {
        String text = "[ projects . '/home/me/my \"app\"' ]\ntrust_level = \"untrusted\" # for now\n";
        assertThat(set(text, PROJECT, "trust_level", "\"trusted\""))
                .isEqualTo("[ projects . '/home/me/my \"app\"' ]\ntrust_level = \"trusted\" # for now\n");
    }

    @Test
    void aDottedKeyUnderAParentTableGetsASiblingInItsOwnForm() throws Exception {
        String text = "[projects]\n'/home/me/my \"app\"'.sandbox = \"x\"\n[tui]\n";
        assertThat(set(text, PROJECT, "trust_level", "\"trusted\""))
                .isEqualTo("[projects]\n'/home/me/my \"app\"'.sandbox = \"x\"\n'/home/me/my \"app\"'.trust_level = \"trusted\"\n[tui]\n");
    }

    @Test
    void theInnermostInlineTableGetsTheKey() throws Exception {
        String text = "projects = { \"/a\" = { trust_level = \"trusted\" }, \"/home/me/my \\\"app\\\"\" = { x = 1 } }\n";
        assertThat(set(text, PROJECT, "trust_level", "\"trusted\""))
                .isEqualTo("projects = { \"/a\" = { trust_level = \"trusted\" }, \"/home/me/my \\\"app\\\"\" = { x = 1, "
                        + "trust_level = \"trusted\" } }\n");
    }

    @Test
    void anInlineParentGetsADottedEntry() throws Exception {
        assertThat(set("projects = { \"/a\" = { x = 1 } }\n", List.of("projects", "/b"), "trust_level", "\"trusted\""))
                .isEqualTo("projects = { \"/a\" = { x = 1 }, \"/b\".trust_level = \"trusted\" }\n");
    }

    @Test
    void aValueSpanningLinesIsReplacedWhole() throws Exception {
        assertThat(set("[features]\nhooks = [\n  false, # no\n]\nx = 1\n", List.of("features"), "hooks", "true"))
                .isEqualTo("[features]\nhooks = true\nx = 1\n");
    }

    @Test
    void anInsertedKeyIsIndentedLikeTheKeyBeforeIt() throws Exception {
        assertThat(set("[features]\n  web_search = true\n[tui]\n", List.of("features"), "hooks", "true"))
                .isEqualTo("[features]\n  web_search = true\n  hooks = true\n[tui]\n");
        assertThat(set("[features]\r\n\tweb_search = true", List.of("features"), "hooks", "true"))
                .isEqualTo("[features]\r\n\tweb_search = true\r\n\thooks = true");
    }

    @Test
    void anEmptyFileGetsTheTable() throws Exception {
        assertThat(set("", List.of("features"), "hooks", "true")).isEqualTo("[features]\nhooks = true\n");
        assertThat(set("# only a comment\n\n", List.of("features"), "hooks", "true"))
                .isEqualTo("# only a comment\n\n[features]\nhooks = true\n");
    }

    @Test
    void anArrayOfTablesIsNoPlaceForAKey() {
        assertThatThrownBy(() -> set("[[features]]\nx = 1\n", List.of("features"), "hooks", "true"))
                .isInstanceOf(TomlTableEditor.CannotEdit.class).hasMessageContaining("[[features]]");
    }

    @Test
    void textItCannotFollowIsRefusedNotGuessed() {
        assertThatThrownBy(() -> set("a = \"unterminated\n", List.of("features"), "hooks", "true"))
                .isInstanceOf(TomlTableEditor.CannotEdit.class).hasMessageContaining("line 1");
    }
}
