package ai.infinium.connector.hook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SessionFileNameTest {
    @Test
    void realIdsAreKeptAsTheyAre() {
        assertThat(SessionFileName.of("a5fa86a9-0b94-429b-8a50-3701b0c4ba7d")).isEqualTo("a5fa86a9-0b94-429b-8a50-3701b0c4ba7d");
        assertThat(SessionFileName.of("rollout_2026.11.21-x")).isEqualTo("rollout_2026.11.21-x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../x", "/", "..", ".", ".hidden", "a/b", "a\\b", "a\u0000b", "line\nbreak", "tab\there",
            "C:\\Windows", "sp ace", "ünïcode"})
    void anythingElseBecomesAHashThatCannotEscape(String hostile) {
        String name = SessionFileName.of(hostile);
        assertThat(name).matches("h-[0-9a-f]{64}");
        assertThat(SessionFileName.of(hostile)).as("stable").isEqualTo(name);
    }

    @Test
    void overlongIdsAreHashedAndDistinct() {
        String a = "a".repeat(10_240);
        String b = "a".repeat(10_239) + "b";
        assertThat(SessionFileName.of(a)).matches("h-[0-9a-f]{64}").isNotEqualTo(SessionFileName.of(b));
        assertThat(SessionFileName.of("a".repeat(128))).isEqualTo("a".repeat(128));
        assertThat(SessionFileName.of("a".repeat(129))).startsWith("h-");
    }

    @Test
    void missingIdHasAName() {
        assertThat(SessionFileName.of(null)).isEqualTo("unknown-session");
        assertThat(SessionFileName.of("")).isEqualTo("unknown-session");
    }
}
