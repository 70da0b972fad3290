package ai.infinium.connector.export.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.export.DeliveryResult;
import ai.infinium.connector.export.RetryPolicy;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OtlpHttpSenderTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final RetryPolicy POLICY = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(60), 0.25,
            Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(300));
    private static final byte[] BODY = "spans".getBytes(StandardCharsets.UTF_8);

    private final OtlpTestServer server = newServer();
    private final List<Duration> waits = new ArrayList<>();

    @AfterEach
    void stop() {
        server.close();
    }

    private OtlpHttpSender sender(RetryPolicy policy) {
        return new OtlpHttpSender(OtlpHttpSender.client(), policy, waits::add, new Random(7),
                Clock.fixed(NOW, ZoneOffset.UTC), "9.9");
    }

    private DeliveryResult send(RetryPolicy policy) {
        return sender(policy).send(server.uri(), BODY, "application/x-protobuf", Map.of("x-api-key", "k1"), "abc");
    }

    @Test
    void deliversOverHttp11WithTheHeaders() {
        DeliveryResult r = send(POLICY);
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.DELIVERED);
        assertThat(r.httpStatus()).isEqualTo(200);
        assertThat(r.message()).isEqualTo("delivered");
        assertThat(r.traceId()).isEqualTo("abc");
        OtlpTestServer.Received got = server.received().get(0);
        assertThat(got.protocol()).isEqualTo("HTTP/1.1");
        assertThat(got.path()).isEqualTo("/v1/traces");
        assertThat(got.header("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(got.header("x-api-key")).isEqualTo("k1");
        assertThat(got.header("User-Agent")).isEqualTo("infinium-java-connector/9.9");
        assertThat(got.header("Upgrade")).isNull();
        assertThat(got.header("HTTP2-Settings")).isNull();
        assertThat(String.valueOf(got.header("Connection"))).doesNotContainIgnoringCase("upgrade");
        assertThat(got.body()).isEqualTo(BODY);
        assertThat(waits).isEmpty();
    }

    @Test
    void theDefaultClientWouldHaveAskedForH2c() throws Exception {
        // The check above can see an upgrade request: the JDK's default client sends one here.
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri())
                .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(server.received().get(0).header("Upgrade")).isEqualTo("h2c");
    }

    @Test
    void aBadRequestIsRejectedWithTheReceiversMessage() {
        server.reply(OtlpTestServer.Reply.of(400, "application/json",
                "{\"code\":3,\"message\":\"span 2 has no name\"}".getBytes(StandardCharsets.UTF_8)));
        DeliveryResult r = send(POLICY);
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.REJECTED);
        assertThat(r.httpStatus()).isEqualTo(400);
        assertThat(r.message()).isEqualTo("HTTP 400: span 2 has no name");
        assertThat(server.received()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void aProtobufStatusIsDecoded() {
        byte[] status = new ProtoWriter().int64(1, 16, false).string(2, "invalid api key").toByteArray();
        server.reply(OtlpTestServer.Reply.of(401, "application/x-protobuf", status));
        DeliveryResult r = send(POLICY);
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.REJECTED);
        assertThat(r.message()).startsWith("HTTP 401: invalid api key (check the headers");
    }

    @Test
    void aPlainTextErrorIsShownBriefly() {
        server.reply(OtlpTestServer.Reply.of(500, "text/plain", ("boom\n" + "x".repeat(1000))
                .getBytes(StandardCharsets.UTF_8)));
        DeliveryResult r = send(POLICY);
        // 500 is not among the spec's retryable statuses.
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.REJECTED);
        assertThat(r.message()).startsWith("HTTP 500: boom x").endsWith("…").hasSizeLessThan(320);
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void unavailableThenOkIsRetriedWithBackoff() {
        server.reply(OtlpTestServer.Reply.of(503), OtlpTestServer.Reply.of(502));
        DeliveryResult r = send(POLICY);
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.DELIVERED);
        assertThat(server.received()).hasSize(3);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(750), Duration.ofMillis(1250));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(1500), Duration.ofMillis(2500));
    }

    @Test
    void retryAfterSecondsIsHonoured() {
        server.reply(new OtlpTestServer.Reply(429, Map.of("Retry-After", "7"), new byte[0], false));
        assertThat(send(POLICY).delivered()).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterAsAnHttpDateIsHonouredAndCapped() {
        String in12s = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(12).atOffset(ZoneOffset.UTC));
        server.reply(new OtlpTestServer.Reply(503, Map.of("Retry-After", in12s), new byte[0], false),
                new OtlpTestServer.Reply(429, Map.of("Retry-After", "100000"), new byte[0], false));
        assertThat(send(POLICY).delivered()).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(12), Duration.ofSeconds(300));
    }

    @Test
    void givesUpTransientlyAfterTheLastRetry() {
        server.reply(OtlpTestServer.Reply.of(504), OtlpTestServer.Reply.of(504), OtlpTestServer.Reply.of(504),
                OtlpTestServer.Reply.of(504));
        DeliveryResult r = send(POLICY);
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.TRANSIENT);
        assertThat(r.httpStatus()).isEqualTo(504);
        assertThat(server.received()).hasSize(4);
        assertThat(waits).hasSize(3);
    }

    @Test
    void aStalledBodyMeetsTheDeadline() {
        server.reply(new OtlpTestServer.Reply(200, Map.of(), new byte[0], true));
        RetryPolicy quick = OtlpHttpSender.withTimeout(
                new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO),
                Duration.ofMillis(400));
        long t0 = System.nanoTime();
        DeliveryResult r = send(quick);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.TRANSIENT);
        assertThat(r.message()).startsWith("no answer from 127.0.0.1:");
    }

    @Test
    void aPartialSuccessIsDeliveredAndSaidSo() {
        byte[] body = ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(2).setErrorMessage("spans too old")).build().toByteArray();
        server.reply(OtlpTestServer.Reply.of(200, "application/x-protobuf", body),
                OtlpTestServer.Reply.of(200, "application/json",
                        "{\"partialSuccess\":{\"rejectedSpans\":\"1\",\"errorMessage\":\"bad\"}}".getBytes()),
                OtlpTestServer.Reply.of(200, "application/json", "{\"partialSuccess\":{}}".getBytes()));
        assertThat(send(POLICY).message()).isEqualTo("delivered, but the receiver rejected 2 spans: spans too old");
        DeliveryResult json = send(POLICY);
        assertThat(json.delivered()).isTrue();
        assertThat(json.message()).isEqualTo("delivered, but the receiver rejected 1 span: bad");
        assertThat(send(POLICY).message()).isEqualTo("delivered");
    }

    @Test
    void aClosedPortIsTransient() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        DeliveryResult r = sender(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), 0,
                Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO))
                .send(URI.create("http://127.0.0.1:" + port + "/v1/traces"), BODY, "application/json", Map.of(), null);
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.TRANSIENT);
        assertThat(r.message()).contains("connection refused by 127.0.0.1:" + port);
        assertThat(waits).hasSize(1);
    }

    @Test
    void aHeaderTheClientMayNotSetIsRejectedBeforeSending() {
        DeliveryResult r = sender(POLICY).send(server.uri(), BODY, "application/json", Map.of("Host", "x"), null);
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.REJECTED);
        assertThat(r.message()).contains("restricted header name: \"Host\"");
        assertThat(server.received()).isEmpty();
    }

    private static OtlpTestServer newServer() {
        try {
            return new OtlpTestServer();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
