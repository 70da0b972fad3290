package ai.infinium.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FakeInfiniumApiTest {

    private static final String AGENT = "agent-123";
    private static final String SECRET = "s3cret-key-0001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private FakeInfiniumApi api;
    private HttpClient http;

    @BeforeEach
    void setUp() {
        api = FakeInfiniumApi.start(AGENT, SECRET);
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode validTrace() {
        ObjectNode t = JSON.createObjectNode();
        t.put("name", "Fix the failing npm test");
        t.put("description", "Fix the failing npm test");
        t.put("current_datetime", "2026-11-21T10:00:15.200Z");
        t.put("duration", 15.2);
        t.put("input_summary", "Fix the failing npm test");
        t.putArray("steps").addObject().put("step_number", 1).put("action", "user_prompt");
        t.putArray("errors");
        t.putObject("environment").put("framework", "claude-code");
        t.putObject("llm_usage").put("model", "claude").put("prompt_tokens", 10);
        return t;
    }

    private URI traceUri() {
        return URI.create(api.baseUrl() + "/agents/" + AGENT + "/trace");
    }

    private URI healthUri() {
        return URI.create(api.baseUrl() + "/agents/" + AGENT + "/health");
    }

    private HttpRequest.Builder tracePost(byte[] body) {
        return HttpRequest.newBuilder(traceUri())
                .timeout(Duration.ofSeconds(15))
                .header("x-agent-id", AGENT)
                .header("x-agent-key", SECRET)
                .header("Content-Type", "application/json")
                .header("User-Agent", "infinium-test/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpRequest.Builder tracePost(JsonNode body) throws IOException {
        return tracePost(JSON.writeValueAsBytes(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> sendTrace(JsonNode body) throws IOException, InterruptedException {
        return send(tracePost(body));
    }

    private HttpResponse<String> health() throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(healthUri())
                .timeout(Duration.ofSeconds(15))
                .header("x-agent-id", AGENT)
                .header("x-agent-key", SECRET)
                .GET());
    }

    private static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    private List<Integer> statuses() {
        return api.requests().stream().map(RecordedRequest::status).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------ addresses

    @Test
    void baseUrlIsLoopbackWithEphemeralPort() {
        assertThat(api.port()).isPositive();
        assertThat(api.baseUrl()).isEqualTo("http://127.0.0.1:" + api.port() + "/api/v1");
        try (FakeInfiniumApi other = FakeInfiniumApi.start(AGENT, SECRET)) {
            assertThat(other.port()).isNotEqualTo(api.port());
        }
    }

    // ------------------------------------------------------------------ success path

    @Test
    void validTraceIsAcceptedAndStored() throws Exception {
        ObjectNode trace = validTrace();
        HttpResponse<String> r = send(tracePost(trace).header("Idempotency-Key", "key-1"));

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("success").asBoolean()).isTrue();
        assertThat(body.path("message").asText()).isEqualTo("Trace received");
        assertThat(body.path("traceId").asText()).isEqualTo("tr_1");
        assertThat(body.path("data").path("traceId").asText()).isEqualTo("tr_1");
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));

        List<ReceivedTrace> traces = api.traces();
        assertThat(traces).hasSize(1);
        ReceivedTrace t = traces.get(0);
        assertThat(t.traceId()).isEqualTo("tr_1");
        assertThat(t.body()).isEqualTo(trace);
        assertThat(t.idempotencyKey()).isEqualTo("key-1");
        assertThat(t.headers()).containsEntry("x-agent-id", AGENT)
                .containsEntry("x-agent-key", SECRET)
                .containsEntry("user-agent", "infinium-test/1")
                .containsEntry("idempotency-key", "key-1");
        assertThat(t.header("Content-Type")).isEqualTo("application/json");
        assertThat(t.headers().keySet()).allSatisfy(k -> assertThat(k).isLowerCase());

        List<RecordedRequest> requests = api.requests();
        assertThat(requests).hasSize(1);
        RecordedRequest rr = requests.get(0);
        assertThat(rr.method()).isEqualTo("POST");
        assertThat(rr.path()).isEqualTo("/api/v1/agents/" + AGENT + "/trace");
        assertThat(rr.status()).isEqualTo(200);
        assertThat(rr.bodySize()).isEqualTo(JSON.writeValueAsBytes(trace).length);
        assertThat(rr.fault()).isEqualTo(RecordedRequest.Fault.NONE);
        assertThat(rr.dropped()).isFalse();
        assertThat(api.replays()).isZero();
    }

    @Test
    void traceIdsIncreaseAndTracesKeepArrivalOrder() throws Exception {
        for (int i = 1; i <= 3; i++) {
            ObjectNode t = validTrace().put("name", "trace " + i);
            assertThat(json(sendTrace(t)).path("traceId").asText()).isEqualTo("tr_" + i);
        }
        assertThat(api.traces()).extracting(ReceivedTrace::name).containsExactly("trace 1", "trace 2", "trace 3");
        assertThat(api.traces()).extracting(ReceivedTrace::idempotencyKey).containsOnlyNulls();
    }

    @Test
    void defaultHttpClientWithH2cUpgradeAttemptIsServedOverHttp11() throws Exception {
        HttpClient defaultClient = HttpClient.newHttpClient(); // tries "Upgrade: h2c" on plain http
        HttpResponse<String> r = defaultClient.send(tracePost(validTrace()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        HttpResponse<String> h = defaultClient.send(HttpRequest.newBuilder(healthUri())
                .header("x-agent-id", AGENT).header("x-agent-key", SECRET).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void chunkedBodyIsAccepted() throws Exception {
        byte[] bytes = JSON.writeValueAsBytes(validTrace());
        HttpResponse<String> r = send(tracePost(new byte[0])
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(api.requests().get(0).header("transfer-encoding")).isEqualTo("chunked");
        assertThat(api.traces()).singleElement().satisfies(t -> assertThat(t.body()).isEqualTo(validTrace()));
    }

    @Test
    void contentTypeWithCharsetParameterIsAccepted() throws Exception {
        HttpResponse<String> r = send(tracePost(validTrace()).setHeader("Content-Type",
                "Application/JSON; charset=utf-8"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void healthAnswersWithStatusAgentNameAndTimestamp() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        HttpResponse<String> r = health();
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("status").asText()).isEqualTo("healthy");
        assertThat(body.path("agentName").asText()).isEqualTo("Test Agent");
        Instant ts = Instant.parse(body.path("timestamp").asText());
        assertThat(ts).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(api.traces()).isEmpty();
        assertThat(api.requests()).singleElement().satisfies(rr -> {
            assertThat(rr.method()).isEqualTo("GET");
            assertThat(rr.status()).isEqualTo(200);
        });
    }

    // ------------------------------------------------------------------ auth

    @Test
    void wrongKeyIs401() throws Exception {
        HttpResponse<String> r = send(tracePost(validTrace()).setHeader("x-agent-key", "wrong-secret"));
        assertThat(r.statusCode()).isEqualTo(401);
        JsonNode body = json(r);
        assertThat(body.path("success").isBoolean()).isTrue();
        assertThat(body.path("success").asBoolean()).isFalse();
        assertThat(body.path("message").asText()).isEqualTo("Authentication failed");
        assertThat(api.traces()).isEmpty();
        assertThat(statuses()).containsExactly(401);
    }

    @Test
    void wrongOrMissingAgentHeadersAre401() throws Exception {
        assertThat(send(tracePost(validTrace()).setHeader("x-agent-id", "someone-else")).statusCode())
                .isEqualTo(401);
        HttpRequest noHeaders = HttpRequest.newBuilder(traceUri())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(validTrace())))
                .build();
        assertThat(http.send(noHeaders, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> h = send(HttpRequest.newBuilder(healthUri())
                .header("x-agent-id", AGENT).header("x-agent-key", "nope").GET());
        assertThat(h.statusCode()).isEqualTo(401);
        assertThat(api.traces()).isEmpty();
        assertThat(statuses()).containsExactly(401, 401, 401);
    }

    @Test
    void headerIdMatchingOtherPathIdIs401AndUnknownPathAgentWithRightHeadersIs404() throws Exception {
        URI otherTrace = URI.create(api.baseUrl() + "/agents/other-agent/trace");
        // headers name the path's agent, but that agent is not the configured one
        HttpResponse<String> r401 = send(tracePost(validTrace()).uri(otherTrace).setHeader("x-agent-id", "other-agent"));
        assertThat(r401.statusCode()).isEqualTo(401);
        // right credentials, unknown agent in the path
        HttpResponse<String> r404 = send(tracePost(validTrace()).uri(otherTrace));
        assertThat(r404.statusCode()).isEqualTo(404);
        assertThat(json(r404).path("success").asBoolean(true)).isFalse();
        assertThat(api.traces()).isEmpty();
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/nothing-here"))
                .header("x-agent-id", AGENT).header("x-agent-key", SECRET).GET());
        assertThat(r.statusCode()).isEqualTo(404);
        HttpResponse<String> get = send(HttpRequest.newBuilder(traceUri())
                .header("x-agent-id", AGENT).header("x-agent-key", SECRET).GET());
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("allow")).hasValue("POST");
        assertThat(statuses()).containsExactly(404, 405);
    }

    // ------------------------------------------------------------------ content type and size

    @Test
    void wrongContentTypeIs415() throws Exception {
        HttpResponse<String> r = send(tracePost(validTrace()).setHeader("Content-Type", "text/plain"));
        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(json(r).path("success").asBoolean(true)).isFalse();
        HttpResponse<String> noType = http.send(HttpRequest.newBuilder(traceUri())
                .header("x-agent-id", AGENT).header("x-agent-key", SECRET)
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(validTrace()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noType.statusCode()).isEqualTo(415);
        assertThat(api.traces()).isEmpty();
        assertThat(statuses()).containsExactly(415, 415);
    }

    /** A valid trace padded (in input_summary) to exactly {@code size} bytes of JSON. */
    private static byte[] traceOfSize(int size) throws IOException {
        ObjectNode t = validTrace().put("input_summary", "");
        int base = JSON.writeValueAsBytes(t).length;
        t.put("input_summary", "x".repeat(size - base));
        byte[] bytes = JSON.writeValueAsBytes(t);
        assertThat(bytes).hasSize(size);
        return bytes;
    }

    @Test
    void bodyOfOneMegabytePlusOneIs413() throws Exception {
        HttpResponse<String> r = send(tracePost(traceOfSize(1_048_577)));
        assertThat(r.statusCode()).isEqualTo(413);
        JsonNode body = json(r);
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.path("message").asText()).isEqualTo("Payload exceeds 1MB");
        assertThat(body.path("maxSize").asLong()).isEqualTo(1_048_576L);
        assertThat(body.path("actualSize").asLong()).isEqualTo(1_048_577L);
        assertThat(api.traces()).isEmpty();
        assertThat(api.requests()).singleElement().satisfies(rr -> {
            assertThat(rr.status()).isEqualTo(413);
            assertThat(rr.bodySize()).isEqualTo(1_048_577L);
        });
    }

    @Test
    void bodyOfExactlyOneMegabyteIsAccepted() throws Exception {
        HttpResponse<String> r = send(tracePost(traceOfSize(1_048_576)));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void oversizedChunkedBodyIs413WithCountedSize() throws Exception {
        byte[] bytes = traceOfSize(1_048_577);
        HttpResponse<String> r = send(tracePost(new byte[0])
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).path("actualSize").asLong()).isEqualTo(1_048_577L);
        assertThat(api.traces()).isEmpty();
    }

    @Test
    void muchLargerBodyIs413WithDeclaredSize() throws Exception {
        byte[] big = new byte[5 * 1_048_576];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> r = send(tracePost(big));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).path("actualSize").asLong()).isEqualTo(5L * 1_048_576);
    }

    // ------------------------------------------------------------------ validation

    static Stream<Arguments> invalidTraces() {
        return Stream.of(
                invalid("missing name", "name", t -> t.remove("name")),
                invalid("empty name", "name", t -> t.put("name", "")),
                invalid("numeric name", "name", t -> t.put("name", 5)),
                invalid("name of 501 chars", "name", t -> t.put("name", "n".repeat(501))),
                invalid("missing description", "description", t -> t.remove("description")),
                invalid("description of 10001 chars", "description", t -> t.put("description", "d".repeat(10_001))),
                invalid("missing current_datetime", "current_datetime", t -> t.remove("current_datetime")),
                invalid("unparseable current_datetime", "current_datetime", t -> t.put("current_datetime", "yesterday")),
                invalid("current_datetime without offset", "current_datetime",
                        t -> t.put("current_datetime", "2026-11-21T10:00:15")),
                invalid("current_datetime not UTC", "current_datetime",
                        t -> t.put("current_datetime", "2026-11-21T10:00:15+02:00")),
                invalid("current_datetime in 1899", "current_datetime",
                        t -> t.put("current_datetime", "1899-12-31T23:59:59Z")),
                invalid("current_datetime in 2101", "current_datetime",
                        t -> t.put("current_datetime", "2101-01-01T00:00:00Z")),
                invalid("missing duration", "duration", t -> t.remove("duration")),
                invalid("negative duration", "duration", t -> t.put("duration", -0.5)),
                invalid("duration over a day", "duration", t -> t.put("duration", 86_400.001)),
                invalid("duration as string", "duration", t -> t.put("duration", "15.2")),
                invalid("steps not an array", "steps", t -> t.putObject("steps")),
                invalid("steps holding a string", "steps", t -> t.putArray("steps").add("step")),
                invalid("errors not an array", "errors", t -> t.put("errors", "boom")),
                invalid("llm_usage not an object", "llm_usage", t -> t.putArray("llm_usage")),
                invalid("environment not an object", "environment", t -> t.put("environment", "linux")),
                invalid("null optional field", "input_summary", t -> t.putNull("input_summary")),
                invalid("null required field", "name", t -> t.putNull("name")));
    }

    private static Arguments invalid(String label, String field, Consumer<ObjectNode> mutation) {
        ObjectNode t = validTrace();
        mutation.accept(t);
        return Arguments.of(label, field, t);
    }

    @ParameterizedTest(name = "{0} -> 422 field {1}")
    @MethodSource("invalidTraces")
    void invalidTraceIs422WithField(String label, String field, ObjectNode trace) throws Exception {
        HttpResponse<String> r = sendTrace(trace);
        assertThat(r.statusCode()).as(label).isEqualTo(422);
        JsonNode body = json(r);
        assertThat(body.path("success").asBoolean(true)).isFalse();
        assertThat(body.path("field").asText()).as(label).isEqualTo(field);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(api.traces()).isEmpty();
        assertThat(statuses()).containsExactly(422);
    }

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("array", "[1,2]"),
                Arguments.of("malformed", "{\"name\": "),
                Arguments.of("trailing garbage", "{\"name\":\"a\"} x"),
                Arguments.of("duplicate key", "{\"name\":\"a\",\"name\":\"b\"}"),
                Arguments.of("empty", ""));
    }

    @ParameterizedTest(name = "{0} body -> 422 field body")
    @MethodSource("invalidBodies")
    void nonObjectBodyIs422(String label, String body) throws Exception {
        HttpResponse<String> r = send(tracePost(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.statusCode()).as(label).isEqualTo(422);
        assertThat(json(r).path("field").asText()).isEqualTo("body");
        assertThat(api.traces()).isEmpty();
    }

    @Test
    void boundaryValuesAreAccepted() throws Exception {
        List<ObjectNode> ok = List.of(
                validTrace().put("name", "n".repeat(500)),
                validTrace().put("name", "\uD83D\uDE00".repeat(500)), // 500 code points, 1000 UTF-16 units
                validTrace().put("description", "d".repeat(10_000)),
                validTrace().put("description", ""),
                validTrace().put("duration", 0),
                validTrace().put("duration", 86_400),
                validTrace().put("current_datetime", "2026-11-21T10:00:15+00:00"),
                validTrace().put("current_datetime", "1900-01-01T00:00:00Z"),
                validTrace().put("current_datetime", "2100-12-31T23:59:59.999999999Z"));
        for (ObjectNode t : ok) {
            HttpResponse<String> r = sendTrace(t);
            assertThat(r.statusCode()).as("%s -> %s", t, r.body()).isEqualTo(200);
        }
        ObjectNode minimal = JSON.createObjectNode()
                .put("name", "n").put("description", "d")
                .put("current_datetime", "2026-11-21T10:00:00Z").put("duration", 1);
        assertThat(sendTrace(minimal).statusCode()).isEqualTo(200);
        assertThat(api.traces()).hasSize(ok.size() + 1);
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void duplicateIdempotencyKeyIsReplayedAndStoredOnce() throws Exception {
        HttpResponse<String> first = send(tracePost(validTrace()).header("Idempotency-Key", "turn-1"));
        HttpResponse<String> second = send(tracePost(validTrace()).header("Idempotency-Key", "turn-1"));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(json(second).path("traceId").asText()).isEqualTo(json(first).path("traceId").asText())
                .isEqualTo("tr_1");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(api.traces()).hasSize(1);
        assertThat(api.replays()).isEqualTo(1);
        assertThat(statuses()).containsExactly(200, 200);

        HttpResponse<String> other = send(tracePost(validTrace()).header("Idempotency-Key", "turn-2"));
        assertThat(json(other).path("traceId").asText()).isEqualTo("tr_2");
        assertThat(api.traces()).extracting(ReceivedTrace::idempotencyKey).containsExactly("turn-1", "turn-2");
        assertThat(api.replays()).isEqualTo(1);
    }

    @Test
    void rejectedOrFaultedRequestDoesNotClaimItsIdempotencyKey() throws Exception {
        api.failNext(503);
        assertThat(send(tracePost(validTrace()).header("Idempotency-Key", "k")).statusCode()).isEqualTo(503);
        assertThat(send(tracePost(validTrace().put("duration", -1)).header("Idempotency-Key", "k")).statusCode())
                .isEqualTo(422);
        assertThat(send(tracePost(validTrace()).header("Idempotency-Key", "k")).statusCode()).isEqualTo(200);
        assertThat(api.replays()).isZero();
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void concurrentDuplicatesStoreOneTraceAndDistinctKeysStoreAll() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> same = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            same.add(http.sendAsync(tracePost(validTrace()).header("Idempotency-Key", "same").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> f : same) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            ids.add(json(r).path("traceId").asText());
        }
        assertThat(ids).hasSize(1);
        assertThat(api.traces()).hasSize(1);
        assertThat(api.replays()).isEqualTo(11);

        List<CompletableFuture<HttpResponse<String>>> distinct = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            distinct.add(http.sendAsync(tracePost(validTrace()).header("Idempotency-Key", "k" + i).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : distinct) {
            ids.add(json(f.get(30, TimeUnit.SECONDS)).path("traceId").asText());
        }
        assertThat(ids).hasSize(13);
        assertThat(api.awaitTraces(13, WAIT)).extracting(ReceivedTrace::traceId).doesNotHaveDuplicates();
    }

    // ------------------------------------------------------------------ faults

    @Test
    void failNext503ThenSuccess() throws Exception {
        api.failNext(503);
        HttpResponse<String> failed = sendTrace(validTrace());
        assertThat(failed.statusCode()).isEqualTo(503);
        JsonNode err = json(failed);
        assertThat(err.path("success").asBoolean(true)).isFalse();
        assertThat(err.path("message").asText()).contains("503");
        assertThat(api.traces()).isEmpty();
        assertThat(api.pendingFaults()).isZero();

        HttpResponse<String> ok = sendTrace(validTrace());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(api.traces()).hasSize(1);
        assertThat(statuses()).containsExactly(503, 200);
        assertThat(api.requests()).extracting(RecordedRequest::fault)
                .containsExactly(RecordedRequest.Fault.FAIL, RecordedRequest.Fault.NONE);
    }

    @Test
    void failNextTimesFailsThatManyRequests() throws Exception {
        api.failNext(500, 2);
        assertThat(sendTrace(validTrace()).statusCode()).isEqualTo(500);
        assertThat(health().statusCode()).isEqualTo(500); // faults apply to any request
        assertThat(sendTrace(validTrace()).statusCode()).isEqualTo(200);
        assertThat(statuses()).containsExactly(500, 500, 200);
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void failNextRejectsNonErrorStatus() {
        assertThatThrownBy(() -> api.failNext(200)).isInstanceOf(IllegalArgumentException.class);
        assertThat(api.pendingFaults()).isZero();
    }

    @Test
    void rateLimitNextAnswers429WithRetryAfter() throws Exception {
        api.rateLimitNext(7);
        HttpResponse<String> r = sendTrace(validTrace());
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(json(r).path("success").asBoolean(true)).isFalse();
        assertThat(api.traces()).isEmpty();
        assertThat(sendTrace(validTrace()).statusCode()).isEqualTo(200);
        assertThat(api.requests().get(0).fault()).isEqualTo(RecordedRequest.Fault.RATE_LIMIT);
    }

    @Test
    void dropNextClosesConnectionWithoutResponse() throws Exception {
        api.dropNext();
        assertThatThrownBy(() -> sendTrace(validTrace())).isInstanceOf(IOException.class);
        assertThat(api.traces()).isEmpty();
        assertThat(api.requests()).singleElement().satisfies(rr -> {
            assertThat(rr.dropped()).isTrue();
            assertThat(rr.status()).isEqualTo(RecordedRequest.NO_RESPONSE);
            assertThat(rr.fault()).isEqualTo(RecordedRequest.Fault.DROP);
            assertThat(rr.method()).isEqualTo("POST");
        });
        assertThat(sendTrace(validTrace()).statusCode()).isEqualTo(200);
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void dropNextOnRawSocketYieldsEofWithoutAnyBytes() throws Exception {
        api.dropNext();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", api.port()), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/v1/agents/" + AGENT + "/health HTTP/1.1\r\nHost: x\r\n"
                    + "x-agent-id: " + AGENT + "\r\nx-agent-key: " + SECRET + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void faultsAreConsumedInFifoOrder() throws Exception {
        api.failNext(500);
        api.rateLimitNext(1);
        api.dropNext();
        api.failNext(502);
        assertThat(api.pendingFaults()).isEqualTo(4);
        assertThat(sendTrace(validTrace()).statusCode()).isEqualTo(500);
        assertThat(sendTrace(validTrace()).statusCode()).isEqualTo(429);
        assertThatThrownBy(() -> sendTrace(validTrace())).isInstanceOf(IOException.class);
        assertThat(sendTrace(validTrace()).statusCode()).isEqualTo(502);
        assertThat(sendTrace(validTrace()).statusCode()).isEqualTo(200);
        assertThat(statuses()).containsExactly(500, 429, RecordedRequest.NO_RESPONSE, 502, 200);
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void delayNextHoldsTheResponseBack() throws Exception {
        Duration delay = Duration.ofMillis(600);
        api.delayNext(delay);
        long start = System.nanoTime();
        HttpResponse<String> r = sendTrace(validTrace());
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(delay.toMillis());
        assertThat(api.traces()).hasSize(1);
        assertThat(api.requests()).singleElement()
                .satisfies(rr -> assertThat(rr.fault()).isEqualTo(RecordedRequest.Fault.DELAY));
    }

    @Test
    void delayNextMakesAShortClientTimeoutExpireButTheTraceIsStoredAndAResendIsAReplay() throws Exception {
        api.delayNext(Duration.ofSeconds(20));
        assertThatThrownBy(() -> send(tracePost(validTrace())
                .header("Idempotency-Key", "slow")
                .timeout(Duration.ofMillis(300))))
                .isInstanceOf(HttpTimeoutException.class);
        // processed at once, only the answer was late
        assertThat(api.awaitTraces(1, WAIT)).singleElement()
                .satisfies(t -> assertThat(t.idempotencyKey()).isEqualTo("slow"));
        HttpResponse<String> resend = send(tracePost(validTrace()).header("Idempotency-Key", "slow"));
        assertThat(resend.statusCode()).isEqualTo(200);
        assertThat(json(resend).path("traceId").asText()).isEqualTo("tr_1");
        assertThat(api.replays()).isEqualTo(1);
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void setDownDropsEveryConnectionUntilUp() throws Exception {
        api.failNext(500);
        api.setDown(true);
        assertThatThrownBy(() -> sendTrace(validTrace())).isInstanceOf(IOException.class);
        assertThatThrownBy(this::health).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> sendTrace(validTrace())).isInstanceOf(IOException.class);
        assertThat(api.traces()).isEmpty();
        List<RecordedRequest> seen = api.requests();
        assertThat(seen).allSatisfy(rr -> {
            assertThat(rr.dropped()).isTrue();
            assertThat(rr.fault()).isEqualTo(RecordedRequest.Fault.DOWN);
        });
        // The JDK client silently retries an idempotent GET once on a dropped connection; POSTs are not retried.
        assertThat(seen).filteredOn(rr -> rr.method().equals("POST")).hasSize(2);
        assertThat(seen).filteredOn(rr -> rr.method().equals("GET")).isNotEmpty();
        assertThat(api.pendingFaults()).isEqualTo(1); // queued faults wait for the outage to end

        api.setDown(false);
        assertThat(sendTrace(validTrace()).statusCode()).isEqualTo(500);
        assertThat(sendTrace(validTrace()).statusCode()).isEqualTo(200);
        assertThat(api.traces()).hasSize(1);
    }

    // ------------------------------------------------------------------ waiting and reset

    @Test
    void awaitTracesReturnsOnceTracesArriveFromAnotherThread() throws Exception {
        api.delayNext(Duration.ofMillis(200));
        CompletableFuture<HttpResponse<String>> a = http.sendAsync(
                tracePost(validTrace().put("name", "a")).build(), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<HttpResponse<String>> b = http.sendAsync(
                tracePost(validTrace().put("name", "b")).build(), HttpResponse.BodyHandlers.ofString());
        List<ReceivedTrace> got = api.awaitTraces(2, WAIT);
        assertThat(got).extracting(ReceivedTrace::name).containsExactlyInAnyOrder("a", "b");
        assertThat(a.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(b.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(api.awaitRequests(2, WAIT)).hasSize(2);
    }

    @Test
    void awaitTracesTimesOutWithAClearMessage() throws Exception {
        sendTrace(validTrace().put("name", "the only trace"));
        api.failNext(503);
        sendTrace(validTrace());
        long start = System.nanoTime();
        assertThatThrownBy(() -> api.awaitTraces(2, Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("waiting for 2 trace(s); got 1")
                .hasMessageContaining("the only trace")
                .hasMessageContaining("tr_1")
                .hasMessageContaining("-> 503 (FAIL)");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
        assertThatThrownBy(() -> api.awaitRequests(3, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("waiting for 3 request(s); got 2");
    }

    @Test
    void resetForgetsEverything() throws Exception {
        send(tracePost(validTrace()).header("Idempotency-Key", "k"));
        send(tracePost(validTrace()).header("Idempotency-Key", "k"));
        api.failNext(500);
        api.setDown(true);
        assertThat(api.replays()).isEqualTo(1);

        api.reset();
        assertThat(api.traces()).isEmpty();
        assertThat(api.requests()).isEmpty();
        assertThat(api.replays()).isZero();
        assertThat(api.pendingFaults()).isZero();

        HttpResponse<String> r = send(tracePost(validTrace()).header("Idempotency-Key", "k"));
        assertThat(r.statusCode()).isEqualTo(200); // not down, fault gone
        assertThat(json(r).path("traceId").asText()).isEqualTo("tr_1"); // key forgotten, ids restart
        assertThat(api.replays()).isZero();
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void recordingsAreSnapshots() throws Exception {
        List<ReceivedTrace> before = api.traces();
        sendTrace(validTrace());
        assertThat(before).isEmpty();
        assertThatThrownBy(() -> api.traces().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> api.requests().get(0).headers().put("a", "b"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    // ------------------------------------------------------------------ lifecycle

    private Set<String> serverThreads(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("fake-infinium-") && n.contains("-" + port + "-"))
                .collect(Collectors.toSet());
    }

    @Test
    void closeStopsServingIsIdempotentAndLeavesNoThreads() throws Exception {
        int port = api.port();
        assertThat(health().statusCode()).isEqualTo(200);
        // a request stuck in a long delay must not keep a thread alive after close()
        api.delayNext(Duration.ofMinutes(5));
        CompletableFuture<HttpResponse<String>> stuck = http.sendAsync(
                tracePost(validTrace()).build(), HttpResponse.BodyHandlers.ofString());
        api.awaitRequests(2, WAIT);
        assertThat(serverThreads(port)).anyMatch(n -> n.endsWith("-accept"));

        api.close();
        api.close();

        assertThat(serverThreads(port)).isEmpty();
        assertThatThrownBy(() -> stuck.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(this::health).isInstanceOf(ConnectException.class);
    }

    @Test
    void mainRunsAsASeparateProcessAndPrintsTheBaseUrl() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FakeInfiniumApi.class.getName(), AGENT, SECRET)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).matches("http://127\\.0\\.0\\.1:\\d+/api/v1");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(line + "/agents/" + AGENT + "/health"))
                    .header("x-agent-id", AGENT).header("x-agent-key", SECRET).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).path("status").asText()).isEqualTo("healthy");
            assertThat(p.isAlive()).isTrue();
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
