package ai.infinium.connector.export;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A trace waiting for delivery, with what is needed to send it later: the agent id, base URL and
 * project (for the secret, which is looked up at send time and never stored here).
 *
 * @param status {@code pending} (will be retried) or {@code rejected} (needs a person)
 * @param nextAttemptAtMillis when a flush may try it again automatically
 */
public record OutboxEntry(
        String key,
        String agent,
        String sessionId,
        String createdAt,
        String projectDir,
        String agentId,
        String baseUrl,
        String status,
        int attempts,
        long nextAttemptAtMillis,
        String lastError,
        int lastHttpStatus,
        String name,
        int steps,
        double duration,
        JsonNode payload) {

    public static final String PENDING = "pending";
    public static final String REJECTED = "rejected";

    public boolean pending() {
        return PENDING.equals(status);
    }

    public OutboxEntry failed(String newStatus, String error, int httpStatus, long nextAttemptAt) {
        return new OutboxEntry(key, agent, sessionId, createdAt, projectDir, agentId, baseUrl, newStatus, attempts + 1,
                nextAttemptAt, error, httpStatus, name, steps, duration, payload);
    }
}
