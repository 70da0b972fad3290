package ai.infinium.connector.agent.claude;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.io.FileCursor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery reads the session transcript from where the last flush's usage read stopped, so one
 * more turn at the end of a long session costs one turn; a cursor that no longer fits the file is
 * ignored and the transcript read whole.
 */
class TranscriptFromCursorTest {
    @TempDir Path tmp;

    static String prompt(String id, String text) {
        return "{\"type\":\"user\",\"promptId\":\"" + id + "\",\"timestamp\":\"2026-12-01T10:00:00.000Z\","
                + "\"message\":{\"role\":\"user\",\"content\":\"" + text + "\"}}\n";
    }

    static String toolUse(String id) {
        return "{\"type\":\"assistant\",\"timestamp\":\"2026-12-01T10:00:01.000Z\",\"message\":{\"id\":\"m-" + id
                + "\",\"stop_reason\":\"tool_use\",\"content\":[{\"type\":\"tool_use\",\"id\":\"" + id
                + "\",\"name\":\"Bash\",\"input\":{\"command\":\"echo " + id + "\"}}]}}\n";
    }

    static String result(String id) {
        return "{\"type\":\"user\",\"timestamp\":\"2026-12-01T10:00:02.000Z\",\"message\":{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"tool_result\",\"tool_use_id\":\"" + id + "\",\"content\":\"" + id + "\"}]}}\n";
    }

    @Test
    void readsFromTheCursorWithThePromptInForceThere() throws Exception {
        Path t = tmp.resolve("s.jsonl");
        String turn1 = prompt("p1", "one") + toolUse("t1") + result("t1");
        String turn2 = toolUse("t2") + result("t2"); // still p1's turn: the prompt comes from the cursor's carry
        Files.writeString(t, turn1 + turn2, StandardCharsets.UTF_8);
        long offset = turn1.getBytes(StandardCharsets.UTF_8).length;
        FileCursor cursor = FileCursor.at(t, offset, 3, Map.of(TranscriptScan.PROMPT, "p1"));

        ClaudeTranscript fromCursor = ClaudeTranscript.read(t, List.of(), id -> true, cursor);
        assertThat(fromCursor.calls()).extracting(TranscriptToolCall::id).containsExactly("t2");
        assertThat(fromCursor.calls()).extracting(TranscriptToolCall::turnId).containsExactly("p1");

        ClaudeTranscript whole = ClaudeTranscript.read(t, List.of(), id -> true, null);
        assertThat(whole.calls()).extracting(TranscriptToolCall::id).containsExactly("t1", "t2");
    }

    @Test
    void aCursorThatNoLongerFitsTheFileIsIgnored() throws Exception {
        Path t = tmp.resolve("s.jsonl");
        String turn1 = prompt("p1", "one") + toolUse("t1") + result("t1");
        Files.writeString(t, turn1 + toolUse("t2") + result("t2"), StandardCharsets.UTF_8);
        FileCursor cursor = FileCursor.at(t, turn1.getBytes(StandardCharsets.UTF_8).length, 3,
                Map.of(TranscriptScan.PROMPT, "p1"));
        // replaced by another session's file of the same length up to the cursor, other bytes
        Files.writeString(t, prompt("p9", "nin") + toolUse("t8") + result("t8") + toolUse("t2") + result("t2"),
                StandardCharsets.UTF_8);
        assertThat(ClaudeTranscript.read(t, List.of(), id -> true, cursor).calls())
                .extracting(TranscriptToolCall::id).containsExactly("t8", "t2");
    }
}
