package ai.infinium.connector.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonLineTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static String compact(String json, Map<String, String> routing) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        routing.putAll(JsonLine.compactObject(json.getBytes(StandardCharsets.UTF_8), out,
                Set.of("session_id", "hook_event_name", "cwd")));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void compactsWithoutChangingTheValueAndPicksTheRoutingFields() throws Exception {
        String pretty = "\uFEFF{\n  \"session_id\": \"a\\u00e9\\\"b\\ud83d\\ude00\",\n  \"cwd\" : \"/t m p\",\n"
                + "  \"n\": [1, -2.5e+10, 0, 3.0E-2, true, false, null, {}, []],\n  \"s\": \"x\\ny \\\\ \\/ \u00fc\u20ac\",\n"
                + "  \"nested\": {\"session_id\": \"not-top-level\", \"hook_event_name\": 5}\n}\n";
        Map<String, String> routing = new java.util.HashMap<>();
        String c = compact(pretty, routing);
        assertThat(c).doesNotContain("\n  ").startsWith("{\"session_id\":");
        assertThat(JSON.readTree(c)).isEqualTo(JSON.readTree(pretty.substring(1)));
        assertThat(routing).containsEntry("session_id", "aé\"b\uD83D\uDE00").containsEntry("cwd", "/t m p")
                .doesNotContainKey("hook_event_name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[1]", "\"x\"", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "{\"a\":01}",
            "{\"a\":1.}", "{\"a\":-}", "{\"a\":tru}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}",
            "{\"a\":1} {}", "{\"a\":[1,2}", "{\"a\":\"unterminated}", "{\"a\":1e}"})
    void rejectsWhatIsNotOneJsonObject(String bad) {
        assertThatThrownBy(() -> compact(bad, new java.util.HashMap<>())).isInstanceOf(IOException.class);
    }

    @Test
    void rejectsInvalidUtf8AndExcessiveNesting() {
        byte[] badUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertThatThrownBy(() -> JsonLine.compactObject(badUtf8, new ByteArrayOutputStream(), Set.of()))
                .isInstanceOf(IOException.class);
        String deep = "{\"a\":" + "[".repeat(600) + "]".repeat(600) + "}";
        assertThatThrownBy(() -> compact(deep, new java.util.HashMap<>())).hasMessageContaining("nested deeper");
    }

    @Test
    void isoMillisMatchesJavaTime() {
        for (long t : new long[] {0L, 951_782_400_000L, 1_795_305_594_762L, 4_102_444_799_999L, -1L, 1_709_164_800_123L}) {
            assertThat(IsoMillis.format(t)).isEqualTo(java.time.format.DateTimeFormatter
                    .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC)
                    .format(java.time.Instant.ofEpochMilli(t)));
        }
    }
}
