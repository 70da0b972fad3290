package ai.infinium.connector.export;

import ai.infinium.connector.trace.Trace;

/**
 * A destination kind for traces (Infinium, OTLP). The flush queues the neutral trace once per
 * exporter; each exporter encodes it its own way and sends it to the destination its outbox entry
 * names, so one destination's outage never holds up or repeats another's.
 */
public interface Exporter {
    /** The name outbox entries and history carry: {@code infinium}, {@code otlp}. */
    String name();

    /**
     * Encodes and sends one queued trace, retrying transient failures as its policy says; never
     * throws for I/O.
     *
     * @param trace the neutral trace; null for an entry queued by an older version, whose
     *     {@link OutboxEntry#payload()} is already encoded for its exporter
     */
    DeliveryResult deliver(OutboxEntry entry, Trace trace);
}
