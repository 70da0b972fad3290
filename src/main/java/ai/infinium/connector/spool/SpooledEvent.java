package ai.infinium.connector.spool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of a session spool: the agent's payload as it arrived, with its line number, the
 * byte offset where the line starts (-1 when unknown) and its arrival time.
 */
public record SpooledEvent(int line, long offset, String receivedAt, long receivedAtMillis, JsonNode event) {
    public SpooledEvent(int line, String receivedAt, long receivedAtMillis, JsonNode event) {
        this(line, -1, receivedAt, receivedAtMillis, event);
    }

    public String text(String field) {
        JsonNode n = event.get(field);
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }
}
