package ai.infinium.connector.e2e;

import ai.infinium.connector.e2e.MessagesApiRenderer.SseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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
 * A loopback fake of the Anthropic Messages API for driving the real Claude Code CLI offline.
 *
 * <p>Answers are scripted per marker word: {@code fake.script("HARNESS-TURN1", reply(...),
 * reply(...))}. For each {@code POST /v1/messages} the fake looks for a registered marker in the
 * user prompts of the request, newest first (text blocks only, tool results are ignored), and
 * answers with the script entry whose index is the number of assistant messages after that
 * prompt. So a tool loop walks through the script step by step, a subagent (whose conversation
 * starts with its own prompt) follows its own script, and a continued session (whose request still
 * holds the first turn's prompt) follows the script of its newest prompt. With no marker, or past
 * the end of a script, the answer is the text "ok".
 *
 * <p>Requests without tools are the CLI's side requests (titles, summaries): they are answered
 * "ok" and never consume a script step. {@code count_tokens} gets a plausible count; any other path
 * gets a 404 in the API's error format. Every call is recorded for assertions.
 */
public final class FakeAnthropicApi implements AutoCloseable {

    /** What a recorded call was. */
    public enum Kind {
        /** A model call with tools: the agent's own turn steps (main agent or subagent). */
        MODEL,
        /** A model call without tools: a title or summary the CLI asks for on the side. */
        SIDE,
        COUNT_TOKENS,
        /** Any other path; answered 404. */
        OTHER
    }

    /**
     * Token usage of one response. Every field is derived from the response's sequence number with
     * a different offset, so a test can predict the numbers and a field mixed up with another shows.
     * {@code message_start} reports {@code output_tokens} 1, as the API does before generating;
     * {@code message_delta} the final count.
     */
    public record Usage(int inputTokens, int cacheCreationInputTokens, int cacheReadInputTokens, int outputTokens) {
        static Usage forSequence(int seq) {
            return new Usage(100 + seq, 1_000 + seq, 10_000 + seq, 10 + seq);
        }
    }

    /**
     * One request the fake received and how it answered.
     *
     * @param headers    lower-case header names to the first value
     * @param body       the parsed JSON body, or {@code null} if there was none or it was not JSON
     * @param marker     the script marker the call was matched to, or {@code null}
     * @param replyIndex the script step answered, or -1 if no script step was used
     * @param messageId  {@code msg_...} of the answer, or {@code null} for errors and non-model calls
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
            String messageId,
            String requestId,
            Usage usage) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The CLI's session id, sent on every model call. */
        public String sessionId() {
            return header("x-claude-code-session-id");
        }

        /** The subagent's id; {@code null} for the main agent's calls. */
        public String agentId() {
            return header("x-claude-code-agent-id");
        }

        public boolean streamed() {
            return body != null && body.path("stream").asBoolean(false);
        }

        /** Names of the tools the request offered. */
        public List<String> toolNames() {
            if (body == null) {
                return List.of();
            }
            return body.path("tools").findValuesAsText("name");
        }

        @Override
        public String toString() {
            return "#" + seq + " " + method + " " + path + " " + kind + " marker=" + marker + " step=" + replyIndex
                    + " status=" + status + (agentId() == null ? "" : " agent=" + agentId());
        }
    }

    private static final String FALLBACK_TEXT = "ok";

    private final ObjectMapper json = new ObjectMapper();
    private final MessagesApiRenderer renderer = new MessagesApiRenderer(json);
    private final Map<String, List<FakeReply>> scripts = new ConcurrentHashMap<>();
    private final List<ApiCall> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    /** Makes ids unique across fakes, so transcripts of several fakes in one config dir never collide. */
    private final String idTag = String.format("%08x", ThreadLocalRandom.current().nextInt());
    private final HttpServer server;
    private final ExecutorService executor;

    private FakeAnthropicApi(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the fake on 127.0.0.1 on a free port. */
    public static FakeAnthropicApi start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        // The CLI runs a background subagent's calls concurrently with the main agent's; a pool of
        // daemon threads serves them in parallel and never keeps the test JVM alive.
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-anthropic-api");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        FakeAnthropicApi fake = new FakeAnthropicApi(server, executor);
        server.createContext("/", fake::handle);
        server.start();
        return fake;
    }

    /** The value for {@code ANTHROPIC_BASE_URL}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Registers the replies for conversations whose newest marked prompt contains {@code marker}
     * (a whole word: {@code HARNESS-TURN1} does not match {@code HARNESS-TURN10}). Replaces an
     * earlier script for the same marker.
     */
    public FakeAnthropicApi script(String marker, FakeReply... replies) {
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

    /** The agent's model calls (main agent and subagents), in arrival order. */
    public List<ApiCall> modelCalls() {
        return calls.stream().filter(c -> c.kind() == Kind.MODEL).toList();
    }

    /** The model calls matched to {@code marker}. */
    public List<ApiCall> modelCalls(String marker) {
        return modelCalls().stream().filter(c -> marker.equals(c.marker())).toList();
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
            byte[] raw = readBody(exchange);
            JsonNode body = parseJson(raw);
            String path = exchange.getRequestURI().toString();
            String route = exchange.getRequestURI().getPath();
            Map<String, String> headers = headers(exchange);
            String method = exchange.getRequestMethod();
            exchange.getResponseHeaders().set("request-id", requestId);

            if ("POST".equals(method) && "/v1/messages/count_tokens".equals(route)) {
                // A rough but deterministic estimate: about four bytes per token.
                ObjectNode answer = json.createObjectNode().put("input_tokens", Math.max(1, raw.length / 4));
                record(n, exchange, path, headers, body, Kind.COUNT_TOKENS, null, -1, 200, null, requestId, null);
                sendJson(exchange, 200, answer);
            } else if ("POST".equals(method) && "/v1/messages".equals(route) && body != null) {
                answerMessages(exchange, n, requestId, path, headers, body);
            } else {
                record(n, exchange, path, headers, body, Kind.OTHER, null, -1, 404, null, requestId, null);
                sendJson(exchange, 404, renderer.error("not_found_error", "fake API: no route for " + method + " " + route));
            }
        } catch (IOException | RuntimeException e) {
            // The client gave up or the fake has a bug; either way the CLI sees a dropped connection
            // and the test fails on the missing outcome. Keep the cause visible in the test output.
            System.err.println("fake-anthropic-api: call #" + n + " failed: " + e);
        }
    }

    private void answerMessages(HttpExchange exchange, int n, String requestId, String path, Map<String, String> headers,
            JsonNode body) throws IOException {
        String model = body.path("model").asText("claude-fake");
        boolean hasTools = body.path("tools").isArray() && !body.path("tools").isEmpty();
        Kind kind = hasTools ? Kind.MODEL : Kind.SIDE;

        String marker = null;
        int step = -1;
        FakeReply reply = FakeReply.reply(FakeReply.text(FALLBACK_TEXT));
        if (kind == Kind.MODEL) {
            ScriptStep match = ScriptStep.find(body.path("messages"), scripts.keySet());
            if (match != null) {
                marker = match.marker();
                List<FakeReply> script = scripts.get(marker);
                if (match.index() < script.size()) {
                    step = match.index();
                    reply = script.get(step);
                }
            }
        }

        if (reply instanceof FakeReply.Failure failure) {
            record(n, exchange, path, headers, body, kind, marker, step, failure.status(), null, requestId, null);
            sendJson(exchange, failure.status(), renderer.error(failure.errorType(), failure.message()));
            return;
        }
        FakeReply.Message message = (FakeReply.Message) reply;
        String messageId = String.format("msg_fake%s%06d", idTag, n);
        Usage usage = Usage.forSequence(n);
        record(n, exchange, path, headers, body, kind, marker, step, 200, messageId, requestId, usage);
        if (body.path("stream").asBoolean(false)) {
            sendStream(exchange, renderer.stream(message, model, messageId, usage));
        } else {
            sendJson(exchange, 200, renderer.message(message, model, messageId, usage));
        }
    }

    private void record(int n, HttpExchange exchange, String path, Map<String, String> headers, JsonNode body, Kind kind,
            String marker, int step, int status, String messageId, String requestId, Usage usage) {
        calls.add(new ApiCall(n, exchange.getRequestMethod(), path, headers, body, kind, marker, step, status, messageId,
                requestId, usage));
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
