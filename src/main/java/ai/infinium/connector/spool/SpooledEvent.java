package ai.infinium.connector.spool;

import com.fasterxml.jackson.databind.JsonNode;

/** One line of a session spool: the agent's payload as it arrived, with its line number and arrival time. */
public record SpooledEvent(int line, String receivedAt, long receivedAtMillis, JsonNode event) {
    public String text(String field) {
        JsonNode n = event.get(field);
        return n == null || n.isNull() ? null : n.isTextual() ? n.asText() : n.toString();
    }
}
