package ai.infinium.connector.export.otlp;

import java.util.List;

/**
 * One span as OTLP carries it, independent of the wire form ({@link OtlpProtobuf}, {@link OtlpJson}).
 * Ids are arrays, so spans are equal only as the same object: compare their encodings instead.
 *
 * @param traceId 16 bytes
 * @param spanId 8 bytes
 * @param parentSpanId 8 bytes, null for the root
 * @param kind {@link #INTERNAL} or {@link #CLIENT}
 * @param startNanos since the epoch, as OTLP's {@code start_time_unix_nano}
 */
public record OtlpSpan(
        byte[] traceId,
        byte[] spanId,
        byte[] parentSpanId,
        String name,
        int kind,
        long startNanos,
        long endNanos,
        List<OtlpAttribute> attributes,
        Status status,
        List<Event> events) {

    public static final int INTERNAL = 1;
    public static final int CLIENT = 3;

    public OtlpSpan {
        attributes = List.copyOf(attributes);
        events = List.copyOf(events);
        status = status == null ? Status.UNSET_STATUS : status;
    }

    /** The attribute's value, or null when the span has none by that key. */
    public Object attribute(String key) {
        return OtlpAttribute.find(attributes, key);
    }

    /** A span status: {@link #UNSET}, {@link #OK} or {@link #ERROR}, with a message for errors. */
    public record Status(int code, String message) {
        public static final int UNSET = 0;
        public static final int OK = 1;
        public static final int ERROR = 2;
        static final Status UNSET_STATUS = new Status(UNSET, null);

        public static Status error(String message) {
            return new Status(ERROR, message);
        }
    }

    public record Event(String name, long timeNanos, List<OtlpAttribute> attributes) {
        public Event {
            attributes = List.copyOf(attributes);
        }
    }
}
