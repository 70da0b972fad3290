package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Options} and the {@link Args} it parses: the rules every command's options follow. */
class OptionsTest {
    static final Options OPTIONS = Options.of(
            Option.value("--limit", "N", "how many").alias("-n"),
            Option.value("--tag", "T", "a tag (repeat for more)").repeating(),
            Option.value("--reason", "turn-end|session-end", "why"),
            Option.flag("--json", "as JSON"),
            Option.flag("--yes", "do not ask", "second line").alias("-y"));

    @Test
    void valuesCanFollowOrBeJoinedWithAnEqualsSign() throws Exception {
        Args a = OPTIONS.parse(List.of("--limit", "3", "--reason=turn-end", "--json"));
        assertThat(a.value("--limit")).isEqualTo("3");
        assertThat(a.intValue("--limit", 10)).isEqualTo(3);
        assertThat(a.value("--reason")).isEqualTo("turn-end");
        assertThat(a.has("--json")).isTrue();
        assertThat(a.has("--yes")).isFalse();
        assertThat(a.value("--tag")).isNull();
        assertThat(a.values("--tag")).isEmpty();
        assertThat(OPTIONS.parse(List.of("--reason=")).value("--reason")).isEmpty();
    }

    @Test
    void aliasesLandOnTheLongName() throws Exception {
        Args a = OPTIONS.parse(List.of("-n", "5", "-y"));
        assertThat(a.intValue("--limit", 10)).isEqualTo(5);
        assertThat(a.has("--yes")).isTrue();
    }

    @Test
    void repeatedValuesAreAllKeptAndTheLastWins() throws Exception {
        Args a = OPTIONS.parse(List.of("--tag", "a", "--tag=b", "--limit", "1", "-n", "2"));
        assertThat(a.values("--tag")).containsExactly("a", "b");
        assertThat(a.value("--tag")).isEqualTo("b");
        assertThat(a.value("--limit")).isEqualTo("2");
    }

    @Test
    void mistakesAreUsageErrorsThatNameTheProblem() {
        assertThatThrownBy(() -> OPTIONS.parse(List.of("--nope"))).isInstanceOf(UsageException.class)
                .hasMessage("unknown option --nope");
        assertThatThrownBy(() -> OPTIONS.parse(List.of("--json=yes"))).isInstanceOf(UsageException.class)
                .hasMessage("unknown option --json=yes");
        assertThatThrownBy(() -> OPTIONS.parse(List.of("-n"))).isInstanceOf(UsageException.class)
                .hasMessage("--limit needs a value");
        assertThatThrownBy(() -> OPTIONS.parse(List.of("--json", "x"))).isInstanceOf(UsageException.class)
                .hasMessage("unexpected argument 'x' (--json takes no value)");
        assertThatThrownBy(() -> OPTIONS.parse(List.of("x"))).isInstanceOf(UsageException.class)
                .hasMessage("unexpected argument 'x'");
        assertThatThrownBy(() -> OPTIONS.parse(List.of("--help"))).isInstanceOf(UsageException.class)
                .hasMessage("unknown option --help");
        assertThatThrownBy(() -> OPTIONS.parse(List.of("-n", "-1")).intValue("--limit", 0))
                .isInstanceOf(UsageException.class).hasMessage("--limit takes a whole number, not '-1'");
        assertThatThrownBy(() -> Options.NONE.parse(List.of("--json"))).isInstanceOf(UsageException.class)
                .hasMessage("unknown option --json");
    }

    @Test
    void operandsUpToTheCountAndDashIsOne() throws Exception {
        Args a = OPTIONS.parse(List.of("-", "--json"), 1);
        assertThat(a.operands()).containsExactly("-");
        assertThat(a.has("--json")).isTrue();
        assertThat(OPTIONS.parse(List.of("--json", "file.txt"), 1).operands()).containsExactly("file.txt");
        assertThatThrownBy(() -> OPTIONS.parse(List.of("a", "b"), 1)).isInstanceOf(UsageException.class)
                .hasMessage("unexpected argument 'b'");
    }

    @Test
    void askingForAnUndeclaredOptionIsABugNotAnAbsentOption() throws Exception {
        Args a = OPTIONS.parse(List.of());
        assertThatThrownBy(() -> a.has("--jsno")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--jsno is not a declared option");
        assertThatThrownBy(() -> a.value("-n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("by its long name");
        assertThatThrownBy(() -> a.has("--limit")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes a value");
        assertThatThrownBy(() -> a.value("--json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a switch");
        assertThatThrownBy(() -> a.values("--limit")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not declared repeatable");
    }

    @Test
    void declarationsThatCannotBeParsedOrShownAreRefused() {
        assertThatThrownBy(() -> Options.of(Option.flag("--json", "a"), Option.flag("--json", "b")))
                .hasMessageContaining("declared twice");
        assertThatThrownBy(() -> Options.of(Option.flag("--yes", "a").alias("-y"), Option.flag("--yolo", "b").alias("-y")))
                .hasMessageContaining("-y is declared twice");
        assertThatThrownBy(() -> Options.of(Option.flag("--help", "a"))).hasMessageContaining("Cli owns");
        assertThatThrownBy(() -> Option.flag("json", "a")).hasMessageContaining("--lower-case-words");
        assertThatThrownBy(() -> Option.flag("--json", "a").alias("-json")).hasMessageContaining("one letter");
        assertThatThrownBy(() -> Option.flag("--json")).hasMessageContaining("needs a description");
        assertThatThrownBy(() -> Option.flag("--json", "a").repeating()).hasMessageContaining("only an option with a value");
    }

    @Test
    void namesAreEverySpellingShortFirstInHelpOrder() {
        assertThat(OPTIONS.names()).containsExactly("-n", "--limit", "--tag", "--reason", "--json", "-y", "--yes");
        assertThat(Options.NONE.names()).isEmpty();
    }

    @Test
    void helpAlignsDescriptionsAfterTheLabelsAndLetsALongLabelOverhang() {
        assertThat(OPTIONS.help()).isEqualTo(String.join("\n",
                "Options:",
                "  -n, --limit N   how many",
                "  --tag T         a tag (repeat for more)",
                "  --reason turn-end|session-end  why",
                "  --json          as JSON",
                "  -y, --yes       do not ask",
                "                  second line"));
        assertThat(Options.NONE.help()).isEmpty();
        assertThat(Options.of(Option.flag("--json", "as JSON")).and(Options.of(Option.flag("--quiet", "say nothing")))
                .help()).isEqualTo("Options:\n  --json    as JSON\n  --quiet   say nothing");
    }
}
