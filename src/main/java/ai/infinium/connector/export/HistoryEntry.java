package ai.infinium.connector.export;

/**
 * A delivered trace, as {@code infinium history} lists it: one line per exporter that took it.
 *
 * @param exporter null in lines written before exporters had names (Infinium)
 */
public record HistoryEntry(
        String deliveredAt,
        String name,
        String traceId,
        int steps,
        double duration,
        String key,
        String agent,
        String agentId,
        String sessionId,
        String exporter,
        String destination) {

    public HistoryEntry {
        exporter = exporter == null ? OutboxEntry.INFINIUM : exporter;
    }
}
