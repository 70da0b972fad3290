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

    /**
     * Rejected because of who sent it, not what was sent: a wrong secret (401, 403) or agent id
     * (404 names no such agent). Fixing the credentials can make these go through.
     */
    public boolean rejectedForCredentials() {
        return REJECTED.equals(status) && (lastHttpStatus == 401 || lastHttpStatus == 403 || lastHttpStatus == 404);
    }

    /** Back to a fresh pending entry, sent as this agent to this URL: the old error no longer applies. */
    public OutboxEntry requeued(String newAgentId, String newBaseUrl) {
        return new OutboxEntry(key, agent, sessionId, createdAt, projectDir, newAgentId, newBaseUrl, PENDING, 0, 0, null,
                0, name, steps, duration, payload);
    }

    public OutboxEntry failed(String newStatus, String error, int httpStatus, long nextAttemptAt) {
        return new OutboxEntry(key, agent, sessionId, createdAt, projectDir, agentId, baseUrl, newStatus, attempts + 1,
                nextAttemptAt, error, httpStatus, name, steps, duration, payload);
    }
}
