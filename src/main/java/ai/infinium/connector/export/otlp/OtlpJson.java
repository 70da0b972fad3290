package ai.infinium.connector.export.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code ExportTraceServiceRequest} in OTLP/JSON: the protobuf JSON mapping with the OTLP spec's
 * exceptions (ids as lower-case hex, not base64; enums as integers), camelCase names, 64-bit
 * integers as decimal strings. Written field by field so the order, and so the bytes, are fixed.
 */
public final class OtlpJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final HexFormat HEX = HexFormat.of();

    private OtlpJson() {}

    public static byte[] encode(List<OtlpSpan> spans, OtlpResource resource) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("resourceSpans");
            g.writeStartObject();
            g.writeObjectFieldStart("resource");
            attributes(g, resource.attributes());
            g.writeEndObject();
            g.writeArrayFieldStart("scopeSpans");
            g.writeStartObject();
            g.writeObjectFieldStart("scope");
            g.writeStringField("name", OtlpResource.SCOPE);
            if (resource.version() != null) {
                g.writeStringField("version", resource.version());
            }
            g.writeEndObject();
            g.writeArrayFieldStart("spans");
            for (OtlpSpan s : spans) {
                span(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void span(JsonGenerator g, OtlpSpan s) throws IOException {
        g.writeStartObject();
        g.writeStringField("traceId", HEX.formatHex(s.traceId()));
        g.writeStringField("spanId", HEX.formatHex(s.spanId()));
        if (s.parentSpanId() != null) {
            g.writeStringField("parentSpanId", HEX.formatHex(s.parentSpanId()));
        }
        g.writeStringField("name", s.name());
        g.writeNumberField("kind", s.kind());
        g.writeStringField("startTimeUnixNano", Long.toUnsignedString(s.startNanos()));
        g.writeStringField("endTimeUnixNano", Long.toUnsignedString(s.endNanos()));
        attributes(g, s.attributes());
        if (!s.events().isEmpty()) {
            g.writeArrayFieldStart("events");
            for (OtlpSpan.Event e : s.events()) {
                g.writeStartObject();
                g.writeStringField("timeUnixNano", Long.toUnsignedString(e.timeNanos()));
                g.writeStringField("name", e.name());
                attributes(g, e.attributes());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeObjectFieldStart("status");
        if (s.status().message() != null) {
            g.writeStringField("message", s.status().message());
        }
        if (s.status().code() != OtlpSpan.Status.UNSET) {
            g.writeNumberField("code", s.status().code());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void attributes(JsonGenerator g, List<OtlpAttribute> attributes) throws IOException {
        if (attributes.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("attributes");
        for (OtlpAttribute a : attributes) {
            g.writeStartObject();
            g.writeStringField("key", a.key());
            g.writeFieldName("value");
            value(g, a.value());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        g.writeStartObject();
        if (v instanceof String s) {
            g.writeStringField("stringValue", s);
        } else if (v instanceof Boolean b) {
            g.writeBooleanField("boolValue", b);
        } else if (v instanceof Long l) {
            g.writeStringField("intValue", Long.toString(l));
        } else if (v instanceof Double d) {
            g.writeNumberField("doubleValue", d);
        } else if (v instanceof List<?> list) {
            g.writeObjectFieldStart("arrayValue");
            g.writeArrayFieldStart("values");
            for (Object item : list) {
                value(g, item);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
