package ai.infinium.connector.e2e;

import ai.infinium.connector.e2e.ResponsesApiRenderer.Ids;
import ai.infinium.connector.e2e.ResponsesApiRenderer.SseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * A loopback fake of the OpenAI Responses API for driving the real Codex CLI offline.
 *
 * <p>Codex 0.169.0, pointed at a custom provider with {@code wire_api = "responses"}, calls only
 * {@code POST <base_url>/responses} with {@code "stream": true}: no model listing, no other start-up
 * call. Every other path gets a 404 in the API's error format and is recorded as {@link Kind#OTHER},
 * so a test can assert that nothing else was asked for.
 *
 * <p>Answers are scripted per marker word: {@code fake.script("TURN1", reply(...), reply(...))}.
 * For each call the fake looks for a registered marker in the user messages of {@code input},
 * newest first, and answers with the script entry whose index is the number of model responses
 * after that message (see {@link ResponsesScriptStep}). So a tool loop walks through the script
 * step by step and a resumed session (whose request still holds the first turn's prompt) follows the
 * script of its newest prompt. With no marker, or past the end of a script, the answer is the text
 * "ok". Every call is recorded for assertions.
 */
public final class FakeResponsesApi implements AutoCloseable {

    /** What a recorded call was. */
    public enum Kind {
        /** {@code POST /v1/responses}: one step of the agent's (or a subagent's) turn. */
        MODEL,
        /** Any other path or an unreadable body; answered 404 or 400. */
        OTHER
    }

    /**
     * Token usage of one response. Every field is derived from the response's sequence number with
     * a different offset, so a test can predict the numbers and a field mixed up with another shows.
     * As in the real API, cached tokens are part of the input tokens and reasoning tokens part of the
     * output tokens; the total is input plus output.
     */
    public record Usage(int inputTokens, int cachedTokens, int outputTokens, int reasoningTokens) {
        static Usage forSequence(int seq) {
            return new Usage(2_000 + seq, 1_000 + seq, 100 + seq, 10 + seq);
        }

        public int totalTokens() {
            return inputTokens + outputTokens;
        }
    }

    /**
     * One request the fake received and how it answered.
     *
     * @param headers    lower-case header names to the first value
     * @param body       the parsed JSON body, or {@code null} if there was none or it was not JSON
     * @param marker     the script marker the call was matched to, or {@code null}
     * @param replyIndex the script step answered, or -1 if no script step was used
     * @param responseId {@code resp_...} of the answer, or {@code null} for errors and other calls
     * @param callIds    the {@code call_id}s of the function calls in the answer, in order
     * @param usage      usage reported in the answer, or {@code null} if it carried none
     */
    public record ApiCall(
            int seq,
            String method,
            String path,
            Map<String, String> headers,
            JsonNode body,
            Kind kind,
            String marker,
            int replyIndex,
            int status,
            String responseId,
            String requestId,
            List<String> callIds,
            Usage usage) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Codex's thread (session) id, sent on every model call; hooks get it as {@code session_id}. */
        public String sessionId() {
            return header("session-id");
        }

        public boolean streamed() {
            return body != null && body.path("stream").asBoolean(false);
        }

        /** The conversation Codex sent: messages, function calls and their outputs. */
        public JsonNode input() {
            return body == null ? null : body.path("input");
        }

        /** Names of the tools the request offered (function and namespace tools). */
        public List<String> toolNames() {
            List<String> names = new ArrayList<>();
            if (body != null) {
                for (JsonNode tool : body.path("tools")) {
                    if (tool.hasNonNull("name")) {
                        names.add(tool.path("name").asText());
                    }
                }
            }
            return names;
        }

        @Override
        public String toString() {
            return "#" + seq + " " + method + " " + path + " " + kind + " marker=" + marker + " step=" + replyIndex
                    + " status=" + status + (responseId == null ? "" : " " + responseId);
        }
    }

    private static final String FALLBACK_TEXT = "ok";

    private final ObjectMapper json = new ObjectMapper();
    private final ResponsesApiRenderer renderer = new ResponsesApiRenderer(json);
    private final Map<String, List<ResponsesReply>> scripts = new ConcurrentHashMap<>();
    private final List<ApiCall> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    /** Makes ids unique across fakes, so rollouts of several fakes in one CODEX_HOME never collide. */
    private final String idTag = String.format("%08x", ThreadLocalRandom.current().nextInt());
    private final HttpServer server;
    private final ExecutorService executor;

    private FakeResponsesApi(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the fake on 127.0.0.1 on a free port. */
    public static FakeResponsesApi start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        // Subagents call the API concurrently with their parent; a pool of daemon threads serves
        // them in parallel and never keeps the test JVM alive.
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-responses-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        FakeResponsesApi fake = new FakeResponsesApi(server, executor);
        server.createContext("/", fake::handle);
        server.start();
        return fake;
    }

    /** The value for the provider's {@code base_url}; Codex appends {@code /responses}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /**
     * Registers the replies for conversations whose newest marked user message contains {@code
     * marker} (a whole word: {@code TURN1} does not match {@code TURN10}). Replaces an earlier script
     * for the same marker.
     */
    public FakeResponsesApi script(String marker, ResponsesReply... replies) {
        if (marker.isBlank()) {
            throw new IllegalArgumentException("blank marker");
        }
        scripts.put(marker, List.of(replies));
        return this;
    }

    /** Every call so far, in arrival order. */
    public List<ApiCall> calls() {
        return List.copyOf(calls);
    }

    /** The agent's model calls, in arrival order. */
    public List<ApiCall> modelCalls() {
        return calls.stream().filter(c -> c.kind() == Kind.MODEL).toList();
    }

    /** The model calls matched to {@code marker}. */
    public List<ApiCall> modelCalls(String marker) {
        return modelCalls().stream().filter(c -> marker.equals(c.marker())).toList();
    }

    /** The model call that answered step {@code step} of {@code marker}'s script. */
    public ApiCall modelCall(String marker, int step) {
        return modelCalls(marker).stream()
                .filter(c -> c.replyIndex() == step)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no call for " + marker + " step " + step + "\n" + describeCalls()));
    }

    /** One line per call, for assertion messages. */
    public String describeCalls() {
        return calls.stream().map(ApiCall::toString).collect(Collectors.joining("\n"));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) {
        int n = seq.incrementAndGet();
        String requestId = String.format("req_fake%s%06d", idTag, n);
        try (exchange) {
            JsonNode body = parseJson(readBody(exchange));
            String path = exchange.getRequestURI().toString();
            String route = exchange.getRequestURI().getPath();
            Map<String, String> headers = headers(exchange);
            String method = exchange.getRequestMethod();
            exchange.getResponseHeaders().set("x-request-id", requestId);

            if ("POST".equals(method) && "/v1/responses".equals(route) && body != null && body.path("input").isArray()) {
                answerResponses(exchange, n, requestId, path, headers, body);
            } else if ("POST".equals(method) && "/v1/responses".equals(route)) {
                record(n, method, path, headers, body, Kind.OTHER, null, -1, 400, null, requestId, List.of(), null);
                sendJson(exchange, 400, renderer.error("invalid_request_error", null, "fake API: no JSON body with an input array"));
            } else {
                record(n, method, path, headers, body, Kind.OTHER, null, -1, 404, null, requestId, List.of(), null);
                sendJson(exchange, 404, renderer.error("invalid_request_error", "not_found",
                        "fake API: no route for " + method + " " + route));
            }
        } catch (IOException | RuntimeException e) {
            // The client gave up or the fake has a bug; either way the CLI sees a dropped connection
            // and the test fails on the missing outcome. Keep the cause visible in the test output.
            System.err.println("fake-responses-api: call #" + n + " failed: " + e);
        }
    }

    private void answerResponses(HttpExchange exchange, int n, String requestId, String path, Map<String, String> headers,
            JsonNode body) throws IOException {
        String method = exchange.getRequestMethod();
        String model = body.path("model").asText("gpt-fake");
        String marker = null;
        int step = -1;
        ResponsesReply reply = ResponsesReply.reply(ResponsesReply.text(FALLBACK_TEXT));
        ResponsesScriptStep match = ResponsesScriptStep.find(body.path("input"), scripts.keySet());
        if (match != null) {
            marker = match.marker();
            List<ResponsesReply> script = scripts.get(marker);
            if (match.index() < script.size()) {
                step = match.index();
                reply = script.get(step);
            }
        }

        if (reply instanceof ResponsesReply.Failure failure) {
            record(n, method, path, headers, body, Kind.MODEL, marker, step, failure.status(), null, requestId, List.of(), null);
            sendJson(exchange, failure.status(), renderer.error(failure.errorType(), failure.code(), failure.message()));
            return;
        }
        ResponsesReply.Response response = (ResponsesReply.Response) reply;
        Ids ids = new Ids(String.format("resp_fake%s%06d", idTag, n));
        List<String> callIds = new ArrayList<>();
        for (int i = 0; i < response.items().size(); i++) {
            if (response.items().get(i) instanceof ResponsesReply.FunctionCall) {
                callIds.add(ids.callId(i));
            }
        }
        Usage usage = Usage.forSequence(n);
        long createdAt = Instant.now().getEpochSecond();
        // Recorded before answering: once the client has the answer it may already ask again.
        record(n, method, path, headers, body, Kind.MODEL, marker, step, 200, ids.responseId(), requestId, callIds, usage);
        if (body.path("stream").asBoolean(false)) {
            sendStream(exchange, renderer.stream(response, model, ids, createdAt, usage));
        } else {
            sendJson(exchange, 200, renderer.completedResponse(response, model, ids, createdAt, usage));
        }
    }

    private void record(int n, String method, String path, Map<String, String> headers, JsonNode body, Kind kind,
            String marker, int step, int status, String responseId, String requestId, List<String> callIds, Usage usage) {
        calls.add(new ApiCall(n, method, path, headers, body, kind, marker, step, status, responseId, requestId,
                List.copyOf(callIds), usage));
    }

    private void sendStream(HttpExchange exchange, List<SseEvent> events) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0); // 0 = chunked: the length is not announced, as with a real stream
        OutputStream out = exchange.getResponseBody();
        for (SseEvent event : events) {
            out.write(event.wire(json).getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /**
     * The request body. Codex compresses bodies (zstd) only for OpenAI's own endpoints, and {@link
     * CodexRun} turns that off as well; gzip is accepted for other clients.
     */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
            in = new GZIPInputStream(in);
        }
        try (InputStream body = in) {
            return body.readAllBytes();
        }
    }

    private JsonNode parseJson(byte[] raw) {
        if (raw.length == 0) {
            return null;
        }
        try {
            return json.readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return Collections.unmodifiableMap(headers);
    }
}
