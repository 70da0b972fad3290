package ai.infinium.connector.export;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One trace waiting for one exporter, with what is needed to send it later: the exporter and its
 * destination, and the project (for secrets, which are looked up at send time and never stored
 * here). A trace queued for two exporters is two entries, delivered and retried each on its own.
 *
 * @param exporter {@code infinium} or {@code otlp}; null in entries written before exporters had names (Infinium)
 * @param agentId the Infinium agent id (Infinium entries)
 * @param baseUrl the Infinium API's base URL (Infinium entries)
 * @param endpoint the OTLP/HTTP traces URL (OTLP entries)
 * @param protocol {@code http/protobuf} or {@code http/json} (OTLP entries)
 * @param content whether the project opted in to prompt, tool and answer text in the spans (OTLP entries)
 * @param status {@code pending} (will be retried) or {@code rejected} (needs a person)
 * @param nextAttemptAtMillis when a flush may try it again automatically
 * @param trace the neutral trace, which the exporter encodes at send time
 * @param payload a trace already encoded, as entries written before the neutral trace was queued hold it
 */
public record OutboxEntry(
        String key,
        String agent,
        String sessionId,
        String createdAt,
        String projectDir,
        String exporter,
        String agentId,
        String baseUrl,
        String endpoint,
        String protocol,
        boolean content,
        String status,
        int attempts,
        long nextAttemptAtMillis,
        String lastError,
        int lastHttpStatus,
        String name,
        int steps,
        double duration,
        JsonNode trace,
        JsonNode payload) {

    public static final String PENDING = "pending";
    public static final String REJECTED = "rejected";
    public static final String INFINIUM = "infinium";
    public static final String OTLP = "otlp";

    public OutboxEntry {
        exporter = exporter == null ? INFINIUM : exporter;
    }

    /** What a trace is, whichever exporter it waits for. */
    public record About(String key, String agent, String sessionId, String createdAt, String projectDir, String name,
            int steps, double duration) {}

    /** A fresh entry of a trace for Infinium, as this agent at this base URL. */
    public static OutboxEntry forInfinium(About a, String agentId, String baseUrl, JsonNode trace) {
        return new OutboxEntry(a.key(), a.agent(), a.sessionId(), a.createdAt(), a.projectDir(), INFINIUM, agentId, baseUrl,
                null, null, false, PENDING, 0, 0, null, 0, a.name(), a.steps(), a.duration(), trace, null);
    }

    /** A fresh entry of a trace for an OTLP/HTTP endpoint. */
    public static OutboxEntry forOtlp(About a, String endpoint, String protocol, boolean content, JsonNode trace) {
        return new OutboxEntry(a.key(), a.agent(), a.sessionId(), a.createdAt(), a.projectDir(), OTLP, null, null,
                endpoint, protocol, content, PENDING, 0, 0, null, 0, a.name(), a.steps(), a.duration(), trace, null);
    }

    /**
     * The entry's name in the outbox: the trace key for Infinium (as before exporters had names,
     * so older entries keep theirs), the key and the exporter for any other.
     */
    public String id() {
        return INFINIUM.equals(exporter) ? key : key + "." + exporter;
    }

    /** Where it goes, as status and history name it. */
    public String destination() {
        return INFINIUM.equals(exporter) ? baseUrl : endpoint;
    }

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

    /** Back to a fresh pending Infinium entry, sent as this agent to this URL: the old error no longer applies. */
    public OutboxEntry requeued(String newAgentId, String newBaseUrl) {
        return new OutboxEntry(key, agent, sessionId, createdAt, projectDir, exporter, newAgentId, newBaseUrl, endpoint,
                protocol, content, PENDING, 0, 0, null, 0, name, steps, duration, trace, payload);
    }

    /** Back to a fresh pending entry for the same destination. */
    public OutboxEntry requeued() {
        return new OutboxEntry(key, agent, sessionId, createdAt, projectDir, exporter, agentId, baseUrl, endpoint,
                protocol, content, PENDING, 0, 0, null, 0, name, steps, duration, trace, payload);
    }

    public OutboxEntry failed(String newStatus, String error, int httpStatus, long nextAttemptAt) {
        return new OutboxEntry(key, agent, sessionId, createdAt, projectDir, exporter, agentId, baseUrl, endpoint,
                protocol, content, newStatus, attempts + 1, nextAttemptAt, error, httpStatus, name, steps, duration,
                trace, payload);
    }

    /** Whether what it carries is there to send (a listed entry carries neither). */
    boolean carriesTrace() {
        return trace != null || payload != null;
    }
}
