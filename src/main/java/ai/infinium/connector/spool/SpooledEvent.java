package ai.infinium.connector.spool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of a session spool: the agent's payload as it arrived, with its line number, the
 * byte offset where the line starts (-1 when unknown) and its arrival time.
 *
 * @param recovered where the connector rebuilt an event the hooks never delivered (e.g. {@code transcript});
 *     null for what a hook recorded
 * @param planned a rebuilt event whose hook is left out on purpose (read from the transcript as
 *     designed), not one a hook failed to deliver
 */
public record SpooledEvent(int line, long offset, String receivedAt, long receivedAtMillis, JsonNode event,
        String recovered, boolean planned) {
    public SpooledEvent(int line, long offset, String receivedAt, long receivedAtMillis, JsonNode event,
            String recovered) {
        this(line, offset, receivedAt, receivedAtMillis, event, recovered, false);
    }

    public SpooledEvent(int line, long offset, String receivedAt, long receivedAtMillis, JsonNode event) {
        this(line, offset, receivedAt, receivedAtMillis, event, null);
    }

    public SpooledEvent(int line, String receivedAt, long receivedAtMillis, JsonNode event) {
        this(line, -1, receivedAt, receivedAtMillis, event, null);
    }

    public SpooledEvent(int line, String receivedAt, long receivedAtMillis, JsonNode event, String recovered) {
        this(line, -1, receivedAt, receivedAtMillis, event, recovered);
    }

    public String text(String field) {
        JsonNode n = event.get(field);
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }
}
