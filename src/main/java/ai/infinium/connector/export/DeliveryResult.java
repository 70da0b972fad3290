package ai.infinium.connector.export;

/**
 * How a delivery ended. {@code TRANSIENT} failures stay pending for a later attempt;
 * {@code REJECTED} ones need a person (bad credentials, invalid or oversized trace).
 */
public record DeliveryResult(Outcome outcome, int httpStatus, String message, String traceId) {
    public enum Outcome { DELIVERED, TRANSIENT, REJECTED }

    public static DeliveryResult delivered(int status, String traceId) {
        return new DeliveryResult(Outcome.DELIVERED, status, "delivered", traceId);
    }

    public static DeliveryResult transientFailure(int status, String message) {
        return new DeliveryResult(Outcome.TRANSIENT, status, message, null);
    }

    public static DeliveryResult rejected(int status, String message) {
        return new DeliveryResult(Outcome.REJECTED, status, message, null);
    }

    public boolean delivered() {
        return outcome == Outcome.DELIVERED;
    }
}
