package ai.infinium.connector.agent.claude;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outline and head of transcript lines: what recovery reads without building the bulk. */
class TranscriptLinesTest {
    static final String RESULT = "{\"parentUuid\":\"p1\",\"promptId\":\"pr-1\",\"type\":\"user\",\"message\":{\"role\":\"user\","
            + "\"content\":[{\"tool_use_id\":\"toolu_1\",\"type\":\"tool_result\",\"content\":\"BIG OUTPUT\",\"is_error\":true}]},"
            + "\"timestamp\":\"2026-11-21T23:59:55.101Z\",\"toolUseResult\":{\"stdout\":\"BIG OUTPUT\",\"agentId\":\"a1\","
            + "\"status\":\"completed\",\"nested\":{\"x\":1}},\"cwd\":\"/p\"}";
    static final String CALL = "{\"message\":{\"id\":\"msg_1\",\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\","
            + "\"id\":\"toolu_1\",\"name\":\"Bash\",\"input\":{\"command\":\"echo secret-input\"}},{\"type\":\"text\","
            + "\"text\":\"Done.\"}],\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":3}},\"type\":\"assistant\","
            + "\"timestamp\":\"2026-11-21T23:59:54.899Z\",\"effort\":\"medium\"}";

    @TempDir Path tmp;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theOutlineKeepsIdsTextsAndTimesButNoInputsOrResults() {
        byte[] b = bytes(RESULT);
        JsonNode o = TranscriptLines.outline(b, 0, b.length);
        assertThat(o.toString()).doesNotContain("BIG OUTPUT").doesNotContain("nested");
        assertThat(o.path("timestamp").asText()).isEqualTo("2026-11-21T23:59:55.101Z");
        assertThat(o.path("cwd").asText()).isEqualTo("/p");
        JsonNode block = o.path("message").path("content").get(0);
        assertThat(block.path("tool_use_id").asText()).isEqualTo("toolu_1");
        assertThat(block.path("is_error").asBoolean()).isTrue();
        assertThat(o.path("toolUseResult").path("agentId").asText()).isEqualTo("a1");
        assertThat(o.path("toolUseResult").path("status").asText()).isEqualTo("completed");

        byte[] c = bytes(CALL);
        JsonNode call = TranscriptLines.outline(c, 0, c.length);
        assertThat(call.toString()).doesNotContain("secret-input").doesNotContain("input_tokens");
        assertThat(call.path("message").path("content").get(0).path("name").asText()).isEqualTo("Bash");
        assertThat(call.path("message").path("content").get(1).path("text").asText()).isEqualTo("Done.");
        assertThat(call.path("message").path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(call.path("effort").asText()).isEqualTo("medium");
    }

    @Test
    void theHeadStopsAfterTheMessage() {
        byte[] b = bytes(RESULT);
        JsonNode h = TranscriptLines.head(b, 0, b.length);
        assertThat(h.path("promptId").asText()).isEqualTo("pr-1");
        assertThat(h.path("message").path("content").get(0).path("tool_use_id").asText()).isEqualTo("toolu_1");
        assertThat(h.has("timestamp")).as("after the message: not read").isFalse();
        assertThat(h.has("toolUseResult")).isFalse();
    }

    @Test
    void wholeLinesAreWholeAndBrokenOnesAreNothing() {
        byte[] c = bytes(CALL);
        assertThat(TranscriptLines.whole(c, 0, c.length).toString()).contains("secret-input");
        byte[] cut = bytes(CALL.substring(0, CALL.length() / 2));
        assertThat(TranscriptLines.outline(cut, 0, cut.length)).isNull();
        assertThat(TranscriptLines.whole(cut, 0, cut.length)).isNull();
    }

    @Test
    void onlyUserAndAssistantLinesAreVisitedAndAnUnfinishedLastLineIsHandedOverToo() throws Exception {
        Path f = tmp.resolve("t.jsonl");
        Files.writeString(f, "{\"type\":\"queue-operation\",\"operation\":\"enqueue\"}\n" + RESULT + "\n" + CALL.substring(0, 70));
        List<String> seen = new ArrayList<>();
        TranscriptLines.forEach(f, 0, (buf, off, len) -> {
            JsonNode o = TranscriptLines.outline(buf, off, len);
            seen.add(o == null ? "cut" : o.path("type").asText());
            return true;
        });
        assertThat(seen).containsExactly("user", "cut");
    }
}
