package ai.infinium.connector.export.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.export.DeliveryResult;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.export.RetryPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpExporterTest {
    private final OtlpTestServer server = newServer();
    private final AtomicInteger sendersBuilt = new AtomicInteger();
    private final OtlpExporter exporter = new OtlpExporter(e -> Map.of("x-api-key", "k1"), () -> {
        sendersBuilt.incrementAndGet();
        return new OtlpHttpSender(OtlpHttpSender.client(), OtlpHttpSender.withTimeout(RetryPolicy.defaults(),
                Duration.ofSeconds(5)), d -> { }, new Random(1), Clock.systemUTC(), "0.1.0");
    }, "0.1.0", () -> "host-1");

    @AfterEach
    void stop() {
        server.close();
    }

    private OutboxEntry entry(String protocol, boolean content) {
        return OutboxEntry.forOtlp(new OutboxEntry.About(OtlpFixtures.KEY, "claude-code", "sess-42",
                "2026-03-01T10:00:30Z", "/p", "Claude Code session", 8, 30.0), server.uri().toString(), protocol, content,
                null);
    }

    @Test
    void protobufEntryIsDeliveredAsTheOfficialMessage() throws Exception {
        DeliveryResult r = exporter.deliver(entry("http/protobuf", false), OtlpFixtures.trace());
        assertThat(r.delivered()).isTrue();
        OtlpTestServer.Received got = server.received().get(0);
        assertThat(got.header("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(got.header("x-api-key")).isEqualTo("k1");
        ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(got.body());
        assertThat(req.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(11);
        String traceId = HexFormat.of().formatHex(req.getResourceSpans(0).getScopeSpans(0).getSpans(0)
                .getTraceId().toByteArray());
        assertThat(r.traceId()).isEqualTo(traceId);
        assertThat(new String(got.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("PROMPT-TEXT");
        assertThat(req.getResourceSpans(0).getResource().getAttributesList())
                .anySatisfy(kv -> assertThat(kv.getKey() + "=" + kv.getValue().getStringValue())
                        .isEqualTo("host.name=host-1"));
    }

    @Test
    void jsonEntryWithContent() throws Exception {
        assertThat(exporter.deliver(entry("http/json", true), OtlpFixtures.trace()).delivered()).isTrue();
        OtlpTestServer.Received got = server.received().get(0);
        assertThat(got.header("Content-Type")).isEqualTo("application/json");
        JsonNode root = new ObjectMapper().readTree(got.body()).at("/resourceSpans/0/scopeSpans/0/spans/0");
        assertThat(root.get("name").asText()).isEqualTo("invoke_agent Claude Code");
        assertThat(root.toString()).contains("gen_ai.input.messages").contains("PROMPT-TEXT");
    }

    @Test
    void whatCannotBeSentIsNotSent() {
        assertThat(exporter.deliver(entry("http/protobuf", false), null).outcome())
                .isEqualTo(DeliveryResult.Outcome.REJECTED);
        DeliveryResult grpc = exporter.deliver(entry("grpc", false), OtlpFixtures.trace());
        assertThat(grpc.outcome()).isEqualTo(DeliveryResult.Outcome.REJECTED);
        assertThat(grpc.message()).contains("unknown OTLP protocol grpc");
        OutboxEntry bad = OutboxEntry.forOtlp(new OutboxEntry.About("k", "codex", "s", "t", "/p", "n", 0, 0),
                "localhost:4318", "http/json", false, null);
        assertThat(exporter.deliver(bad, OtlpFixtures.trace()).message()).startsWith("invalid OTLP endpoint");
        assertThat(server.received()).isEmpty();
        assertThat(sendersBuilt).hasValue(0);
    }

    @Test
    void missingHeadersWaitForTheNextFlush() {
        OtlpExporter noKey = new OtlpExporter(e -> {
            throw new HeaderLookup.MissingHeadersException("no API key for " + e.endpoint()
                    + " (set it with `infinium otlp`)");
        }, Duration.ofSeconds(5));
        DeliveryResult r = noKey.deliver(entry("http/protobuf", false), OtlpFixtures.trace());
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.TRANSIENT);
        assertThat(r.message()).startsWith("no API key for http://127.0.0.1:");
        assertThat(server.received()).isEmpty();
    }

    @Test
    void nameAndEncodingAreStable() {
        assertThat(exporter.name()).isEqualTo("otlp");
        assertThat(exporter.encode(OtlpFixtures.trace(), false, "http/protobuf"))
                .isEqualTo(exporter.encode(OtlpFixtures.trace(), false, "http/protobuf"));
    }

    private static OtlpTestServer newServer() {
        try {
            return new OtlpTestServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
