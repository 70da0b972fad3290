package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code init --agent codex} on every form of config.toml people write: the result must be TOML
 * Codex can read, with {@code features.hooks = true} and every other value as it was, or the
 * file must stay byte for byte as it was and the message must say what to add by hand.
 */
class CodexConfigTomlTest {
    static final TomlMapper TOML = new TomlMapper();

    @TempDir Path tmp;
    TestEnv env;
    Path project;
    Path configToml;

    @BeforeEach
    void setUp() throws Exception {
        Path codexHome = Files.createDirectories(tmp.resolve("codex-home"));
        env = new TestEnv(tmp).with("CODEX_HOME", codexHome.toString());
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve(".codex"));
        configToml = codexHome.resolve("config.toml");
    }

    TestEnv.Result init(String... extra) {
        List<String> args = new ArrayList<>(List.of("init", "--no-interactive", "--agent-id", "agent-cx",
                "--agent-secret", "secret-codex-9", "--base-url", "http://127.0.0.1:9/api/v1"));
        args.addAll(List.of(extra.length == 0 ? new String[] {"--agent", "codex"} : extra));
        return env.run(project, args.toArray(String[]::new));
    }

    static Arguments edited(String variant, String before, String after) {
        return Arguments.of(variant, before, after);
    }

    static Stream<Arguments> editable() {
        return Stream.of(
                edited("no [features] table", "model = \"gpt-5\"\n",
                        "model = \"gpt-5\"\n\n[features]\nhooks = true\n"),
                edited("[features] table without hooks", "[features]\nweb_search = true\n\n[tui]\ntheme = \"dark\"\n",
                        "[features]\nweb_search = true\nhooks = true\n\n[tui]\ntheme = \"dark\"\n"),
                edited("hooks = false in [features]", "[features]\nhooks = false\nweb_search = true\n",
                        "[features]\nhooks = true\nweb_search = true\n"),
                edited("dotted features.hooks = false at the top level",
                        "model = \"m\"\nfeatures.hooks = false # later\n\n[mcp_servers.docs]\ncommand = \"npx\"\n",
                        "model = \"m\"\nfeatures.hooks = true # later\n\n[mcp_servers.docs]\ncommand = \"npx\"\n"),
                edited("dotted features.web_search without hooks",
                        "features.web_search = true\nmodel = \"m\"\n\n[tui]\ntheme = \"dark\"\n",
                        "features.web_search = true\nfeatures.hooks = true\nmodel = \"m\"\n\n[tui]\ntheme = \"dark\"\n"),
                edited("dotted with a quoted segment", "\"features\" . web_search = true\n",
                        "\"features\" . web_search = true\n\"features\".hooks = true\n"),
                edited("inline table without hooks", "features = { web_search = true }\nmodel = \"m\"\n",
                        "features = { web_search = true, hooks = true }\nmodel = \"m\"\n"),
                edited("inline table with hooks = false", "features = { hooks = false, web_search = true } # mine\n",
                        "features = { hooks = true, web_search = true } # mine\n"),
                edited("empty inline table", "features = {}\n", "features = { hooks = true }\n"),
                edited("inline table holding a string with braces", "features = { note = \"a } b, c\" }\n",
                        "features = { note = \"a } b, c\", hooks = true }\n"),
                edited("[\"features\"] header", "[\"features\"]\nweb_search = true\n",
                        "[\"features\"]\nweb_search = true\nhooks = true\n"),
                edited("['features'] header", "['features']\nhooks = false\n", "['features']\nhooks = true\n"),
                edited("[ \"features\" ] header", "[ \"features\" ]\nweb_search = true\n",
                        "[ \"features\" ]\nweb_search = true\nhooks = true\n"),
                edited("quoted key 'hooks'", "[features]\n'hooks' = false\n", "[features]\n'hooks' = true\n"),
                edited("CRLF, [features] present", "model = \"m\"\r\n\r\n[features]\r\nweb_search = true\r\n",
                        "model = \"m\"\r\n\r\n[features]\r\nweb_search = true\r\nhooks = true\r\n"),
                edited("CRLF, no [features]", "model = \"m\"\r\n", "model = \"m\"\r\n\r\n[features]\r\nhooks = true\r\n"),
                edited("CRLF, dotted", "features.web_search = true\r\n",
                        "features.web_search = true\r\nfeatures.hooks = true\r\n"),
                edited("no final newline, key added", "[features]\nweb_search = true",
                        "[features]\nweb_search = true\nhooks = true"),
                edited("no final newline, value switched", "[features]\nhooks = false", "[features]\nhooks = true"),
                edited("no final newline, table added", "model = \"m\"", "model = \"m\"\n\n[features]\nhooks = true"),
                edited("comments after values and headers",
                        "[features] # see [docs]\nweb_search = true # on = yes\n# the end of features\n\n[tui]\n",
                        "[features] # see [docs]\nweb_search = true # on = yes\nhooks = true\n# the end of features\n\n[tui]\n"),
                edited("comment with a quote after hooks = false", "[features]\nhooks = false # \"off\" for now\n",
                        "[features]\nhooks = true # \"off\" for now\n"),
                edited("[features] after other tables",
                        "model = \"m\"\n\n[mcp_servers.docs]\ncommand = \"npx\"\nargs = [\n  \"-y\", # why\n  \"docs\",\n]\n\n"
                                + "[[profiles]]\nname = \"a\"\n\n[features]\nweb_search = true\n\n[tui]\ntheme = \"dark\"\n",
                        "model = \"m\"\n\n[mcp_servers.docs]\ncommand = \"npx\"\nargs = [\n  \"-y\", # why\n  \"docs\",\n]\n\n"
                                + "[[profiles]]\nname = \"a\"\n\n[features]\nweb_search = true\nhooks = true\n\n[tui]\ntheme = \"dark\"\n"),
                edited("arrays of tables with a hooks key of their own",
                        "[[profiles]]\nname = \"a\"\nhooks = false\n\n[[profiles]]\nname = \"b\"\n",
                        "[[profiles]]\nname = \"a\"\nhooks = false\n\n[[profiles]]\nname = \"b\"\n\n[features]\nhooks = true\n"),
                edited("a multi-line string that looks like a [features] table",
                        "notes = \"\"\"\n[features]\nhooks = false\n\"\"\"\n",
                        "notes = \"\"\"\n[features]\nhooks = false\n\"\"\"\n\n[features]\nhooks = true\n"),
                edited("a nested array whose line looks like a header",
                        "[features]\nmatrix = [\n  [1, 2],\n]\nweb_search = true\n",
                        "[features]\nmatrix = [\n  [1, 2],\n]\nweb_search = true\nhooks = true\n"),
                edited("only a sub-table of features", "[features.extra]\nx = 1\n",
                        "[features.extra]\nx = 1\n\n[features]\nhooks = true\n"),
                edited("dates and other values survive", "when = 1979-05-27 07:32:00Z\n[features]\nweb_search = true\n",
                        "when = 1979-05-27 07:32:00Z\n[features]\nweb_search = true\nhooks = true\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("editable")
    void hooksAreEnabledAndEverythingElseStays(String variant, String before, String after) throws Exception {
        Files.writeString(configToml, before);
        TestEnv.Result r = init();
        assertThat(r.code()).as(r.toString()).isZero();
        String written = Files.readString(configToml);
        assertThat(written).isEqualTo(after);
        assertThat(TOML.readTree(written)).as("what Codex reads: the user's values plus hooks = true")
                .isEqualTo(withHooksEnabled(TOML.readTree(before)));
        assertThat(init().code()).as("a second init finds hooks enabled and leaves the file").isZero();
        assertThat(Files.readString(configToml)).isEqualTo(after);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("not valid TOML", "model = \"m\"\n[features\nhooks = true\n",
                        List.of("not valid TOML", "line 2, column")),
                Arguments.of("features already defined twice", "[features]\nx = 1\n[features]\ny = 2\n",
                        List.of("not valid TOML", "line 3")),
                Arguments.of("features is an array of tables", "[[features]]\nname = \"x\"\n",
                        List.of("[[features]]", "hooks = true", "[features]", "left untouched")),
                Arguments.of("features is a string", "features = \"on\"\n",
                        List.of("not a table", "hooks = true", "[features]", "left untouched")),
                Arguments.of("features.hooks is a table", "[features.hooks]\nx = 1\n",
                        List.of("`features.hooks` is a table", "hooks = true", "[features]", "left untouched")),
                Arguments.of("features.hooks is an array of tables", "[[features.hooks]]\nx = 1\n",
                        List.of("would not be valid TOML", "hooks = true", "[features]", "left untouched")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void formsThatCannotBeEditedSafelyAreRefusedUntouched(String variant, String before, List<String> says)
            throws Exception {
        Files.writeString(configToml, before);
        byte[] original = Files.readAllBytes(configToml);
        TestEnv.Result r = init();
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(Files.readAllBytes(configToml)).isEqualTo(original);
        assertThat(r.err()).contains(configToml.toString());
        for (String s : says) {
            assertThat(r.err()).contains(s);
        }
    }

    @Test
    void theParsersPositionIsInTheMessage() throws Exception {
        Files.writeString(configToml, "model = \"m\"\napproval_policy = \n");
        TestEnv.Result r = init();
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("is not valid TOML: Newline not permitted here (the parser stopped at line 2, column ")
                .contains("It was left untouched");
    }

    @Test
    void statusSaysWhenConfigTomlIsNotValid() throws Exception {
        assertThat(init().code()).isZero();
        Files.writeString(configToml, "[features]\nhooks = true\nhooks = false\n");
        TestEnv.Result r = env.run(project, "status");
        assertThat(r.out()).contains(configToml + " is not valid TOML: Duplicate key (the parser stopped at line 4, column 1)");
    }

    @Test
    void aRefusedCodexInitWritesNoFileAtAll() throws Exception {
        Files.writeString(configToml, "[[features]]\nname = \"x\"\n");
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".codex/hooks.json"), "{\"hooks\": {}}\n");
        Map<String, String> before = CodexInitTest.snapshot(tmp);
        TestEnv.Result r = init("--agent", "claude-code,codex");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(CodexInitTest.snapshot(tmp)).as("nothing under the test's HOME, state, config, project or CODEX_HOME changed")
                .isEqualTo(before);
    }

    @Test
    void trustingTheProjectEditsADottedProjectsKeyInPlace() throws Exception {
        String before = "projects.\"" + project + "\".trust_level = \"untrusted\"\nfeatures.hooks = true\n";
        Files.writeString(configToml, before);
        TestEnv.Result r = init("--agent", "codex", "--trust-project");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(Files.readString(configToml)).isEqualTo(before.replace("\"untrusted\"", "\"trusted\""));
    }

    /** The original tree with features.hooks = true: what the edited file must parse to. */
    static JsonNode withHooksEnabled(JsonNode original) {
        ObjectNode expected = original.deepCopy();
        JsonNode features = expected.get("features");
        (features instanceof ObjectNode o ? o : expected.putObject("features")).put("hooks", true);
        return expected;
    }
}
