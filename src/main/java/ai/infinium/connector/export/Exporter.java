package ai.infinium.connector.export;

/** A destination for traces (Infinium today; OTLP or local files later). */
public interface Exporter {
    String name();

    /** Sends one trace, retrying transient failures as its policy says; never throws for I/O. */
    DeliveryResult send(Delivery delivery);

    /** Receives a line for a person waiting: what failed, and that it tries again. */
    interface Progress {
        void retrying(String what);
    }

    /**
     * The same, for a person waiting at a terminal ({@code infinium test}): fewer, shorter
     * attempts, each failure reported as it happens. By default, {@link #send}.
     */
    default DeliveryResult sendWhileWatched(Delivery delivery, Progress progress) {
        return send(delivery);
    }

    /**
     * Asks, without sending a trace, whether this destination accepts these credentials: one
     * short attempt, for a person waiting. Delivered means yes, rejected means no, transient
     * means it could not tell (offline, down); null when this destination has no such question.
     */
    default DeliveryResult checkCredentials(String baseUrl, String agentId, String secret) {
        return null;
    }
}
