package ai.infinium.connector.export;

/** A destination for traces (Infinium today; OTLP or local files later). */
public interface Exporter {
    String name();

    /** Sends one trace, retrying transient failures as its policy says; never throws for I/O. */
    DeliveryResult send(Delivery delivery);
}
