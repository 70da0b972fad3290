package ai.infinium.connector.export.otlp;

import java.util.List;

/**
 * {@code ExportTraceServiceRequest} in protobuf, field numbers from opentelemetry-proto's
 * trace.proto, common.proto and resource.proto: one ResourceSpans, one ScopeSpans. Fields at their
 * default are left out, so equal spans give equal bytes.
 */
public final class OtlpProtobuf {
    private OtlpProtobuf() {}

    public static byte[] encode(List<OtlpSpan> spans, OtlpResource resource) {
        ProtoWriter scopeSpans = new ProtoWriter()
                .message(1, new ProtoWriter().string(1, OtlpResource.SCOPE).string(2, resource.version()));
        for (OtlpSpan s : spans) {
            scopeSpans.message(2, span(s));
        }
        ProtoWriter res = new ProtoWriter();
        attributes(res, 1, resource.attributes());
        ProtoWriter resourceSpans = new ProtoWriter().message(1, res).message(2, scopeSpans);
        return new ProtoWriter().message(1, resourceSpans).toByteArray();
    }

    private static ProtoWriter span(OtlpSpan s) {
        ProtoWriter w = new ProtoWriter()
                .bytes(1, s.traceId(), false)
                .bytes(2, s.spanId(), false)
                .bytes(4, s.parentSpanId(), false)
                .string(5, s.name())
                .int64(6, s.kind(), false)
                .fixed64(7, s.startNanos(), false)
                .fixed64(8, s.endNanos(), false);
        attributes(w, 9, s.attributes());
        for (OtlpSpan.Event e : s.events()) {
            ProtoWriter ev = new ProtoWriter().fixed64(1, e.timeNanos(), false).string(2, e.name());
            attributes(ev, 3, e.attributes());
            w.message(11, ev);
        }
        if (s.status().code() != OtlpSpan.Status.UNSET || s.status().message() != null) {
            w.message(15, new ProtoWriter().string(2, s.status().message()).int64(3, s.status().code(), false));
        }
        return w;
    }

    private static void attributes(ProtoWriter w, int field, List<OtlpAttribute> attributes) {
        for (OtlpAttribute a : attributes) {
            w.message(field, new ProtoWriter().string(1, a.key()).message(2, value(a.value())));
        }
    }

    /** AnyValue: a oneof, so a zero or empty value is still written (it is set, not absent). */
    private static ProtoWriter value(Object v) {
        ProtoWriter w = new ProtoWriter();
        if (v instanceof String s) {
            w.string(1, s, true);
        } else if (v instanceof Boolean b) {
            w.int64(2, b ? 1 : 0, true);
        } else if (v instanceof Long l) {
            w.int64(3, l, true);
        } else if (v instanceof Double d) {
            w.fixed64(4, Double.doubleToRawLongBits(d), true);
        } else if (v instanceof List<?> list) {
            ProtoWriter array = new ProtoWriter();
            for (Object item : list) {
                array.message(1, value(item));
            }
            w.message(5, array);
        }
        return w;
    }
}
