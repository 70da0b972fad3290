package ai.infinium.connector.export.otlp;

import java.util.ArrayList;
import java.util.List;

/**
 * One key and value of a span, event or resource. Values are what OTLP's {@code AnyValue} holds
 * and we use: {@link String}, {@link Long}, {@link Double}, {@link Boolean}, or a list of strings.
 */
public record OtlpAttribute(String key, Object value) {

    public OtlpAttribute {
        if (!(value instanceof String || value instanceof Long || value instanceof Double
                || value instanceof Boolean || value instanceof List)) {
            throw new IllegalArgumentException("unsupported attribute value for " + key + ": " + value);
        }
    }

    static Object find(List<OtlpAttribute> attributes, String key) {
        for (OtlpAttribute a : attributes) {
            if (a.key.equals(key)) {
                return a.value;
            }
        }
        return null;
    }

    /** Collects attributes in order, leaving out absent values (OTLP has no null). */
    public static final class Builder {
        private final List<OtlpAttribute> list = new ArrayList<>();

        public Builder put(String key, Object value) {
            if (value instanceof Integer i) {
                value = i.longValue();
            }
            if (value != null && !(value instanceof String s && s.isEmpty())) {
                list.add(new OtlpAttribute(key, value));
            }
            return this;
        }

        /** Counts of zero are left out: most agents write 0 for "not reported". */
        public Builder positive(String key, long value) {
            return value > 0 ? put(key, value) : this;
        }

        public List<OtlpAttribute> build() {
            return List.copyOf(list);
        }
    }
}
