package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.infinium.connector.e2e.OtlpReceiver.ReceivedSpan;
import ai.infinium.connector.e2e.OtlpReceiver.ReceivedSpan.Event;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The harness against the real receiver process: one hand-built export request, once as OTLP/JSON
 * and once as protobuf, must come back as the same decoded spans. If these pass, a failing exporter
 * test is about the exporter, not about the receiver or its parsing here.
 */
@Tag("e2e")
class OtlpReceiverE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final String TRACE_ID = "5b8efff798038103d269b633813fc60c";
    private static final String PARENT_ID = "eee19b7ec3c1b174";
    private static final String CHILD_ID = "0af7651916cd43dd";
    private static final long START = 1_767_225_600_000_000_000L; // 2026-01-01, past 2^53: exact only as a string
    /** 2^53 + 1: a JS number cannot hold it, so this proves int64 attributes are not read as one. */
    private static final long BIG = 9_007_199_254_740_993L;

    /** The OTLP/JSON encoding (ids hex, int64 as strings, enums as numbers), written by hand. */
    private static final String JSON_REQUEST = """
            {"resourceSpans": [{
              "resource": {"attributes": [
                {"key": "service.name", "value": {"stringValue": "infinium"}},
                {"key": "process.pid", "value": {"intValue": "4242"}}]},
              "scopeSpans": [{
                "scope": {"name": "ai.infinium.connector", "version": "0.1.0"},
                "spans": [
                  {"traceId": "%1$s", "spanId": "%2$s", "name": "session", "kind": 1,
                   "startTimeUnixNano": "%4$d", "endTimeUnixNano": "%5$d",
                   "attributes": [
                     {"key": "agent", "value": {"stringValue": "claude-code"}},
                     {"key": "turns", "value": {"intValue": "3"}},
                     {"key": "big", "value": {"intValue": "%8$d"}},
                     {"key": "interactive", "value": {"boolValue": true}},
                     {"key": "ratio", "value": {"doubleValue": 2.0}}]},
                  {"traceId": "%1$s", "spanId": "%3$s", "parentSpanId": "%2$s", "name": "tool Bash", "kind": 3,
                   "startTimeUnixNano": "%6$d", "endTimeUnixNano": "%7$d",
                   "attributes": [
                     {"key": "tool.name", "value": {"stringValue": "Bash"}},
                     {"key": "exit_code", "value": {"intValue": "1"}},
                     {"key": "sandboxed", "value": {"boolValue": false}}],
                   "status": {"code": 2, "message": "exit 1"},
                   "events": [{"timeUnixNano": "%6$d", "name": "exception", "attributes": [
                     {"key": "exception.message", "value": {"stringValue": "boom"}},
                     {"key": "attempt", "value": {"intValue": "2"}}]}]}]}]}]}
            """.formatted(TRACE_ID, PARENT_ID, CHILD_ID, START, START + 1_500_000_000L, START + 100_000_000L,
            START + 900_000_000L, BIG);

    @Test
    void decodesAHandBuiltJsonRequestSentOverHttp11() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            HttpResponse<String> response = post(http11(), receiver, "application/json",
                    HttpRequest.BodyPublishers.ofString(JSON_REQUEST));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

            assertThat(receiver.awaitSpans(2, WAIT)).containsExactlyElementsOf(expected(1));
            assertThat(receiver.requests()).isEqualTo(1);
        }
    }

    @Test
    void decodesTheSameRequestAsProtobuf() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            HttpResponse<String> response = post(http11(), receiver, "application/x-protobuf",
                    HttpRequest.BodyPublishers.ofByteArray(protobufRequest().toByteArray()));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

            assertThat(receiver.awaitSpans(2, WAIT)).containsExactlyElementsOf(expected(1));
            assertThat(receiver.requests()).isEqualTo(1);
        }
    }

    /** The outage the exporter tests simulate: stop the receiver, start a new one on the same port. */
    @Test
    void aReceiverRestartedOnTheSamePortTakesRequestsAgain() throws Exception {
        HttpClient http = http11();
        int port;
        try (OtlpReceiver first = OtlpReceiver.start()) {
            port = first.port();
            post(http, first, "application/json", HttpRequest.BodyPublishers.ofString(JSON_REQUEST));
            first.awaitSpans(2, WAIT);
        }
        try (OtlpReceiver second = OtlpReceiver.start(port)) {
            post(http, second, "application/x-protobuf",
                    HttpRequest.BodyPublishers.ofByteArray(protobufRequest().toByteArray()));
            post(http, second, "application/json", HttpRequest.BodyPublishers.ofString(JSON_REQUEST));
            List<ReceivedSpan> spans = second.awaitSpans(4, WAIT);
            assertThat(spans).extracting(ReceivedSpan::request).containsExactly(1, 1, 2, 2);
            assertThat(second.requests()).isEqualTo(2);
        }
    }

    /** A start that cannot bind says why instead of waiting out its timeout. */
    @Test
    void aTakenPortFailsTheStartWithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> OtlpReceiver.start(taken.getLocalPort()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("EADDRINUSE");
        }
    }

    /**
     * The receiver answers 200 before it decodes, so only the harness can tell a sender its request
     * was undecodable: the wait fails at once, with the receiver's error, rather than timing out.
     */
    @Test
    void anUndecodableRequestFailsTheWaitAtOnce() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            HttpResponse<String> response = post(http11(), receiver, "application/json",
                    HttpRequest.BodyPublishers.ofString("{\"resourceSpans\": ["));
            assertThat(response.statusCode()).isEqualTo(200);
            long started = System.nanoTime();
            assertThatThrownBy(() -> receiver.awaitSpans(1, WAIT))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("failed to decode")
                    .hasMessageContaining("SyntaxError");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WAIT);
        }
    }

    /**
     * The JDK client's default, HTTP/2, sends an HTTP/1.1 request with {@code Upgrade: h2c}; Node's
     * http server ignores the upgrade and answers it as HTTP/1.1, so an exporter that keeps the
     * default still reaches the receiver. Kept as a test so a receiver or JDK change shows.
     */
    @Test
    void acceptsTheJdkDefaultClientWithItsH2cUpgradeHeaders() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThat(http.version()).isEqualTo(HttpClient.Version.HTTP_2);
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            HttpResponse<String> response = post(http, receiver, "application/x-protobuf",
                    HttpRequest.BodyPublishers.ofByteArray(protobufRequest().toByteArray()));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
            assertThat(receiver.awaitSpans(2, WAIT)).containsExactlyElementsOf(expected(1));
        }
    }

    private static List<ReceivedSpan> expected(int request) {
        Map<String, Object> resource = map("service.name", "infinium", "process.pid", 4242L);
        ReceivedSpan parent = new ReceivedSpan(request, resource, "ai.infinium.connector", TRACE_ID, PARENT_ID, null,
                "session", "SPAN_KIND_INTERNAL", START, START + 1_500_000_000L,
                map("agent", "claude-code", "turns", 3L, "big", BIG, "interactive", true, "ratio", 2.0),
                "STATUS_CODE_UNSET", "", List.of());
        ReceivedSpan child = new ReceivedSpan(request, resource, "ai.infinium.connector", TRACE_ID, CHILD_ID,
                PARENT_ID, "tool Bash", "SPAN_KIND_CLIENT", START + 100_000_000L, START + 900_000_000L,
                map("tool.name", "Bash", "exit_code", 1L, "sandboxed", false),
                "STATUS_CODE_ERROR", "exit 1",
                List.of(new Event("exception", START + 100_000_000L, map("exception.message", "boom", "attempt", 2L))));
        return List.of(parent, child);
    }

    /** The same request as {@link #JSON_REQUEST}, built with the generated OTLP classes. */
    private static ExportTraceServiceRequest protobufRequest() {
        Span parent = Span.newBuilder()
                .setTraceId(bytes(TRACE_ID)).setSpanId(bytes(PARENT_ID))
                .setName("session").setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStartTimeUnixNano(START).setEndTimeUnixNano(START + 1_500_000_000L)
                .addAttributes(kv("agent", AnyValue.newBuilder().setStringValue("claude-code")))
                .addAttributes(kv("turns", AnyValue.newBuilder().setIntValue(3)))
                .addAttributes(kv("big", AnyValue.newBuilder().setIntValue(BIG)))
                .addAttributes(kv("interactive", AnyValue.newBuilder().setBoolValue(true)))
                .addAttributes(kv("ratio", AnyValue.newBuilder().setDoubleValue(2.0)))
                .build();
        Span child = Span.newBuilder()
                .setTraceId(bytes(TRACE_ID)).setSpanId(bytes(CHILD_ID)).setParentSpanId(bytes(PARENT_ID))
                .setName("tool Bash").setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(START + 100_000_000L).setEndTimeUnixNano(START + 900_000_000L)
                .addAttributes(kv("tool.name", AnyValue.newBuilder().setStringValue("Bash")))
                .addAttributes(kv("exit_code", AnyValue.newBuilder().setIntValue(1)))
                .addAttributes(kv("sandboxed", AnyValue.newBuilder().setBoolValue(false)))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("exit 1"))
                .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(START + 100_000_000L)
                        .addAttributes(kv("exception.message", AnyValue.newBuilder().setStringValue("boom")))
                        .addAttributes(kv("attempt", AnyValue.newBuilder().setIntValue(2))))
                .build();
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(kv("service.name", AnyValue.newBuilder().setStringValue("infinium")))
                                .addAttributes(kv("process.pid", AnyValue.newBuilder().setIntValue(4242))))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder()
                                        .setName("ai.infinium.connector").setVersion("0.1.0"))
                                .addSpans(parent)
                                .addSpans(child)))
                .build();
    }

    /** OTLP/HTTP as the exporter will send it: HTTP/1.1, no upgrade attempt. */
    private static HttpClient http11() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpResponse<String> post(HttpClient http, OtlpReceiver receiver, String contentType,
            HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(receiver.tracesEndpoint())
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(body)
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static KeyValue kv(String key, AnyValue.Builder value) {
        return KeyValue.newBuilder().setKey(key).setValue(value).build();
    }

    private static ByteString bytes(String hex) {
        return ByteString.copyFrom(HexFormat.of().parseHex(hex));
    }

    /** An insertion-ordered map of alternating keys and values (Map.of has no order and no nulls). */
    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
