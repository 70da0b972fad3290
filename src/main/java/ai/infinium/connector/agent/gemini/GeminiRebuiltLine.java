package ai.infinium.connector.agent.gemini;

import ai.infinium.connector.agent.AgentEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A spool line for an event the flush rebuilt from Gemini's chats file: stamped with Gemini's own
 * time, marked as recovered and as planned (no hook could have sent it, so none failed).
 */
final class GeminiRebuiltLine {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GeminiRebuiltLine() {}

    /** @param like the event whose session, cwd and chats file the rebuilt one shares */
    static byte[] of(AgentEvent like, String eventName, String at, String source) {
        ObjectNode line = JSON.createObjectNode();
        line.put("received_at", at);
        line.put("recovered", source);
        line.put("planned", true);
        ObjectNode event = line.putObject("event");
        event.put("session_id", like.sessionId());
        event.put("transcript_path", like.tags().get("transcript_path"));
        event.put("cwd", like.cwd());
        event.put("hook_event_name", eventName);
        event.put("timestamp", at);
        try {
            return (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
