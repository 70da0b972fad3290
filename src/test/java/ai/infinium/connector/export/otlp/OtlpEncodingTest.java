package ai.infinium.connector.export.otlp;

import static ai.infinium.connector.export.otlp.OtlpFixtures.nanos;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written encodings against the official generated classes (protobuf) and the OTLP/JSON rules. */
class OtlpEncodingTest {
    private static final OtlpResource RESOURCE = new OtlpResource("0.1.0", "build-host", "claude-code");
    private final List<OtlpSpan> spans = TraceToSpans.map(OtlpFixtures.trace(), true);

    @Test
    void protobufParsesWithTheOfficialClasses() throws Exception {
        byte[] bytes = OtlpProtobuf.encode(spans, RESOURCE);
        ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(bytes);
        assertThat(req.getResourceSpansCount()).isEqualTo(1);
        ResourceSpans rs = req.getResourceSpans(0);
        assertThat(values(rs.getResource().getAttributesList())).containsExactly(
                Map.entry("service.name", "infinium"), Map.entry("service.version", "0.1.0"),
                Map.entry("host.name", "build-host"), Map.entry("telemetry.sdk.name", "infinium"),
                Map.entry("telemetry.sdk.language", "java"), Map.entry("telemetry.sdk.version", "0.1.0"),
                Map.entry("infinium.agent", "claude-code"));
        assertThat(rs.getScopeSpansCount()).isEqualTo(1);
        ScopeSpans ss = rs.getScopeSpans(0);
        assertThat(ss.getScope().getName()).isEqualTo("ai.infinium.connector");
        assertThat(ss.getScope().getVersion()).isEqualTo("0.1.0");
        assertThat(ss.getSpansCount()).isEqualTo(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            assertSame(spans.get(i), ss.getSpans(i));
        }
        // The generated classes write fields in number order and leave defaults out, as we do:
        // re-encoding what they parsed gives our bytes back, so nothing was lost or added.
        assertThat(req.toByteArray()).isEqualTo(bytes);
        assertThat(req.getUnknownFields().asMap()).isEmpty();
    }

    @Test
    void protobufSpansInDetail() throws Exception {
        ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(OtlpProtobuf.encode(spans, RESOURCE));
        List<Span> ps = req.getResourceSpans(0).getScopeSpans(0).getSpansList();
        Span root = ps.get(0);
        assertThat(root.getName()).isEqualTo("invoke_agent Claude Code");
        assertThat(root.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
        assertThat(root.getParentSpanId()).isEqualTo(ByteString.EMPTY);
        assertThat(root.getTraceId().size()).isEqualTo(16);
        assertThat(root.getSpanId().size()).isEqualTo(8);
        assertThat(root.getStartTimeUnixNano()).isEqualTo(nanos("2026-03-01T10:00:00Z"));
        assertThat(root.getEndTimeUnixNano()).isEqualTo(nanos("2026-03-01T10:00:30Z"));
        assertThat(root.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(root.getStatus().getMessage()).isEqualTo("Overloaded");
        assertThat(root.getEvents(0).getName()).isEqualTo("exception");
        assertThat(values(root.getAttributesList())).containsEntry("gen_ai.conversation.id", "sess-42")
                .containsEntry("infinium.steps", 8L);
        Span bash = ps.stream().filter(s -> s.getName().equals("execute_tool Bash")).findFirst().orElseThrow();
        assertThat(bash.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(bash.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        Span grep = ps.stream().filter(s -> s.getName().equals("execute_tool Grep")).findFirst().orElseThrow();
        Span sub = ps.stream().filter(s -> s.getName().equals("invoke_agent Explore")).findFirst().orElseThrow();
        assertThat(grep.getParentSpanId()).isEqualTo(sub.getSpanId());
        Span chat = ps.stream().filter(s -> s.getName().equals("chat claude-haiku-4-5")).findFirst().orElseThrow();
        assertThat(chat.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
        assertThat(chat.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    }

    @Test
    void everyValueTypeAndEdgeRoundTrips() throws Exception {
        List<OtlpAttribute> attrs = new OtlpAttribute.Builder().put("s", "").put("b", false).put("t", true)
                .put("zero", 0L).put("neg", -5L).put("max", Long.MAX_VALUE).put("d", 0.0).put("pi", 3.25)
                .put("list", List.of("a", "", "ü")).put("unicode", "日本語 ✓").build();
        // put() leaves out the empty string; AnyValue must still carry one when set, so add it by hand.
        attrs = new java.util.ArrayList<>(attrs);
        attrs.add(new OtlpAttribute("empty", ""));
        OtlpSpan s = new OtlpSpan(filled(16), filled(8), null, "", OtlpSpan.INTERNAL, 0, Long.MAX_VALUE, attrs,
                new OtlpSpan.Status(OtlpSpan.Status.OK, null), List.of());
        byte[] bytes = OtlpProtobuf.encode(List.of(s), new OtlpResource(null, null, null));
        ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(bytes);
        Span p = req.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertSame(s, p);
        assertThat(p.getAttributesList()).filteredOn(kv -> kv.getKey().equals("empty")).singleElement()
                .satisfies(kv -> assertThat(kv.getValue().getValueCase()).isEqualTo(AnyValue.ValueCase.STRING_VALUE));
        assertThat(p.getAttributesList()).filteredOn(kv -> kv.getKey().equals("b")).singleElement()
                .satisfies(kv -> assertThat(kv.getValue().getValueCase()).isEqualTo(AnyValue.ValueCase.BOOL_VALUE));
        assertThat(p.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);
        assertThat(req.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void jsonHasTheOtlpShape() throws Exception {
        JsonNode req = new ObjectMapper().readTree(OtlpJson.encode(spans, RESOURCE));
        assertThat(req.fieldNames()).toIterable().containsExactly("resourceSpans");
        JsonNode rs = req.get("resourceSpans").get(0);
        assertThat(rs.at("/resource/attributes/0")).hasToString(
                "{\"key\":\"service.name\",\"value\":{\"stringValue\":\"infinium\"}}");
        JsonNode ss = rs.get("scopeSpans").get(0);
        assertThat(ss.get("scope")).hasToString("{\"name\":\"ai.infinium.connector\",\"version\":\"0.1.0\"}");
        JsonNode js = ss.get("spans");
        assertThat(js).hasSize(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            OtlpSpan o = spans.get(i);
            JsonNode j = js.get(i);
            assertThat(j.get("traceId").asText()).matches("[0-9a-f]{32}").isEqualTo(hex(o.traceId()));
            assertThat(j.get("spanId").asText()).matches("[0-9a-f]{16}").isEqualTo(hex(o.spanId()));
            if (o.parentSpanId() == null) {
                assertThat(j.has("parentSpanId")).isFalse();
            } else {
                assertThat(j.get("parentSpanId").asText()).isEqualTo(hex(o.parentSpanId()));
            }
            assertThat(j.get("name").asText()).isEqualTo(o.name());
            assertThat(j.get("kind").isInt()).isTrue();
            assertThat(j.get("kind").asInt()).isEqualTo(o.kind());
            assertThat(j.get("startTimeUnixNano").isTextual()).isTrue();
            assertThat(j.get("startTimeUnixNano").asText()).isEqualTo(Long.toString(o.startNanos()));
            assertThat(j.get("endTimeUnixNano").asText()).isEqualTo(Long.toString(o.endNanos()));
            JsonNode attrs = j.get("attributes");
            assertThat(attrs).hasSize(o.attributes().size());
            for (int k = 0; k < o.attributes().size(); k++) {
                OtlpAttribute a = o.attributes().get(k);
                assertThat(attrs.get(k).get("key").asText()).isEqualTo(a.key());
                JsonNode v = attrs.get(k).get("value");
                if (a.value() instanceof Long l) {
                    assertThat(v.get("intValue").isTextual()).isTrue();
                    assertThat(v.get("intValue").asText()).isEqualTo(l.toString());
                } else {
                    assertThat(v.get("stringValue").asText()).isEqualTo(a.value());
                }
            }
            assertThat(j.get("status").path("code").asInt(0)).isEqualTo(o.status().code());
            assertThat(j.path("events").size()).isEqualTo(o.events().size());
        }
        JsonNode root = js.get(0);
        assertThat(root.at("/status")).hasToString("{\"message\":\"Overloaded\",\"code\":2}");
        assertThat(root.at("/events/0/name").asText()).isEqualTo("exception");
        assertThat(root.at("/events/0/timeUnixNano").asText()).isEqualTo(Long.toString(nanos("2026-03-01T10:00:28Z")));
        assertThat(root.at("/events/0/attributes/0/value/stringValue").asText()).isEqualTo("overloaded_error");
    }

    @Test
    void jsonValueTypes() throws Exception {
        List<OtlpAttribute> attrs = new OtlpAttribute.Builder().put("b", true).put("d", 1.5).put("l", List.of("x", "y"))
                .put("i", -3L).build();
        OtlpSpan s = new OtlpSpan(filled(16), filled(8), filled(8), "n", OtlpSpan.CLIENT, 1, 2, attrs, null, List.of());
        JsonNode a = new ObjectMapper().readTree(OtlpJson.encode(List.of(s), RESOURCE))
                .at("/resourceSpans/0/scopeSpans/0/spans/0/attributes");
        assertThat(a.get(0).get("value")).hasToString("{\"boolValue\":true}");
        assertThat(a.get(1).get("value")).hasToString("{\"doubleValue\":1.5}");
        assertThat(a.get(2).get("value")).hasToString(
                "{\"arrayValue\":{\"values\":[{\"stringValue\":\"x\"},{\"stringValue\":\"y\"}]}}");
        assertThat(a.get(3).get("value")).hasToString("{\"intValue\":\"-3\"}");
    }

    /** Every field of our span against the parsed one. */
    private static void assertSame(OtlpSpan o, Span p) {
        assertThat(p.getTraceId().toByteArray()).isEqualTo(o.traceId());
        assertThat(p.getSpanId().toByteArray()).isEqualTo(o.spanId());
        assertThat(p.getParentSpanId().toByteArray()).isEqualTo(o.parentSpanId() == null ? new byte[0] : o.parentSpanId());
        assertThat(p.getName()).isEqualTo(o.name());
        assertThat(p.getKindValue()).isEqualTo(o.kind());
        assertThat(p.getStartTimeUnixNano()).isEqualTo(o.startNanos());
        assertThat(p.getEndTimeUnixNano()).isEqualTo(o.endNanos());
        assertThat(p.getTraceState()).isEmpty();
        assertThat(p.getLinksCount()).isZero();
        assertThat(values(p.getAttributesList())).isEqualTo(values(o.attributes()));
        assertThat(p.getEventsCount()).isEqualTo(o.events().size());
        for (int i = 0; i < o.events().size(); i++) {
            assertThat(p.getEvents(i).getName()).isEqualTo(o.events().get(i).name());
            assertThat(p.getEvents(i).getTimeUnixNano()).isEqualTo(o.events().get(i).timeNanos());
            assertThat(values(p.getEvents(i).getAttributesList())).isEqualTo(values(o.events().get(i).attributes()));
        }
        assertThat(p.getStatus().getCodeValue()).isEqualTo(o.status().code());
        assertThat(p.getStatus().getMessage()).isEqualTo(o.status().message() == null ? "" : o.status().message());
    }

    private static Map<String, Object> values(List<?> kvs) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Object o : kvs) {
            if (o instanceof KeyValue kv) {
                m.put(kv.getKey(), value(kv.getValue()));
            } else {
                OtlpAttribute a = (OtlpAttribute) o;
                m.put(a.key(), a.value());
            }
        }
        return m;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> v.getBoolValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpEncodingTest::value).toList();
            default -> throw new AssertionError("unexpected value " + v);
        };
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (0xA0 + i);
        }
        return b;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
