package ai.infinium.connector.agent.qwen;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A headless Qwen Code turn whose model call failed fires no hook after UserPromptSubmit: no
 * Stop, no StopFailure, no SessionEnd. The turn still goes out once, when it is over (a later
 * prompt began, or the session went stale), and the error it ended with is in the transcript
 * ({@code qwen-code.api_error}): it becomes the StopFailure Qwen did not send, appended to the
 * spool once as {@code "recovered": "chats"}, so the turn is a failed turn with that error.
 */
final class QwenApiErrors {
    static final String SOURCE = "chats";
    private static final ObjectMapper JSON = new ObjectMapper();

    private QwenApiErrors() {}

    static List<byte[]> turnEnds(List<AgentEvent> earlier, List<AgentEvent> read, boolean sessionOver) {
        Set<String> ended = new HashSet<>();
        for (List<AgentEvent> list : List.of(earlier, read)) {
            for (AgentEvent e : list) {
                if ((e.kind() == EventKind.TURN_END || e.kind() == EventKind.TURN_FAILURE) && e.turnId() != null) {
                    ended.add(e.turnId());
                }
            }
        }
        List<AgentEvent> open = new ArrayList<>();
        AgentEvent lastPrompt = null;
        for (AgentEvent e : read) {
            if (e.kind() == EventKind.PROMPT && e.turnId() != null && !ended.contains(e.turnId())) {
                open.add(e);
            }
            if (e.kind() == EventKind.PROMPT) {
                lastPrompt = e;
            }
        }
        if (open.isEmpty()) {
            return List.of();
        }
        Map<String, QwenChats.ApiError> lastError = new HashMap<>();
        for (QwenChats.ApiError err : QwenChats.read(QwenAdapter.chatsFile(read)).errors) {
            lastError.put(err.promptId(), err);
        }
        List<byte[]> out = new ArrayList<>();
        for (AgentEvent prompt : open) {
            boolean over = sessionOver || (lastPrompt != null && !prompt.turnId().equals(lastPrompt.turnId()));
            QwenChats.ApiError err = lastError.get(prompt.turnId());
            if (over && err != null) {
                out.add(line(prompt, err));
            }
        }
        return out;
    }

    private static byte[] line(AgentEvent prompt, QwenChats.ApiError err) {
        ObjectNode event = JSON.createObjectNode();
        event.put("session_id", prompt.sessionId());
        event.put("transcript_path", prompt.tags().get("transcript_path"));
        event.put("cwd", prompt.cwd());
        event.put("hook_event_name", QwenEvent.STOP_FAILURE.hookName());
        event.put("timestamp", err.timestamp());
        event.put("prompt_id", prompt.turnId());
        event.put("error", err.type() != null ? err.type() : "api_error");
        String status = err.status() == null ? "" : " (HTTP " + err.status() + ")";
        event.put("error_details", (err.message() != null ? err.message() : "the model API call failed") + status);
        ObjectNode line = JSON.createObjectNode();
        line.put("received_at", err.timestamp());
        line.put("recovered", SOURCE);
        line.set("event", event);
        try {
            return (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
