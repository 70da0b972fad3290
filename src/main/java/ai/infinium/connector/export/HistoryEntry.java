package ai.infinium.connector.export;

/** A delivered trace, as {@code infinium history} lists it. */
public record HistoryEntry(
        String deliveredAt,
        String name,
        String traceId,
        int steps,
        double duration,
        String key,
        String agent,
        String agentId,
        String sessionId) {}
