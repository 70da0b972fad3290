package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What {@link FakeAnthropicApi} and {@link FakeResponsesApi} share apart from their wire formats:
 * an HTTP server on 127.0.0.1 on a free port, the scripts of replies per marker word, and the record
 * of every call. A subclass routes each {@link FakeExchange}, records it and answers in its format.
 *
 * @param <R> a scripted reply of the wire format
 * @param <C> a recorded call of the wire format
 */
abstract class LoopbackFakeApi<R, C extends LoopbackFakeApi.RecordedCall> implements AutoCloseable {

    /** What this class reads of a wire format's recorded call. */
    interface RecordedCall {

        /** Lower-case header names to the first value. */
        Map<String, String> headers();

        /** The parsed JSON body, or {@code null} if there was none or it was not JSON. */
        JsonNode body();

        /** The script marker the call was matched to, or {@code null}. */
        String marker();

        /** The script step answered, or -1 if no script step was used. */
        int replyIndex();

        /** Whether the call was one of the agent's turn steps, the calls scripts answer. */
        boolean isModelCall();

        default String header(String name) {
            return headers().get(name.toLowerCase(Locale.ROOT));
        }

        default boolean streamed() {
            return body() != null && body().path("stream").asBoolean(false);
        }
    }

    /** The reply a call is due: a step of {@code marker}'s script, or the fallback with step -1. */
    record Due<T>(String marker, int step, T reply) {}

    protected final ObjectMapper json = new ObjectMapper();

    private final String name;
    private final String requestIdHeader;
    private final ScriptStep.Conversation format;
    private final R fallback;
    private final Map<String, List<R>> scripts = new ConcurrentHashMap<>();
    private final List<C> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    /** Makes ids unique across fakes, so transcripts or rollouts of several fakes in one place never collide. */
    private final String idTag = String.format("%08x", ThreadLocalRandom.current().nextInt());
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Binds the server; {@link #serving} starts it once the subclass is complete.
     *
     * @param name            names the server's threads and its messages on stderr
     * @param requestIdHeader the response header that carries the request id
     * @param format          how the wire format's requests hold the conversation
     * @param fallback        the reply without a marker or past the end of a script
     */
    protected LoopbackFakeApi(String name, String requestIdHeader, ScriptStep.Conversation format, R fallback)
            throws IOException {
        this.name = name;
        this.requestIdHeader = requestIdHeader;
        this.format = format;
        this.fallback = fallback;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        // Subagents call the API concurrently with their parent; a pool of daemon threads serves
        // them in parallel and never keeps the test JVM alive.
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Routes, records and answers one call. Record before answering: once the client has the answer
     * it may already ask again.
     */
    protected abstract void answer(FakeExchange exchange) throws IOException;

    /**
     * Starts serving {@code fake}, for its static factory: the constructor only binds, because a
     * request must not reach a subclass still being constructed.
     */
    protected static <F extends LoopbackFakeApi<?, ?>> F serving(F fake) {
        LoopbackFakeApi<?, ?> bound = fake;
        bound.server.start();
        return fake;
    }

    /** {@code http://127.0.0.1:<port>}: the base URL without the API's path prefix. */
    final String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * Registers the replies for conversations whose newest marked user message contains {@code
     * marker} as a whole word ({@code TURN1} does not match {@code TURN10}); see {@link ScriptStep}.
     * Replaces an earlier script for the same marker.
     */
    @SafeVarargs
    public final LoopbackFakeApi<R, C> script(String marker, R... replies) {
        if (marker.isBlank()) {
            throw new IllegalArgumentException("blank marker");
        }
        scripts.put(marker, List.of(replies));
        return this;
    }

    /** The reply due for a model call with this conversation (see {@link ScriptStep}). */
    protected final Due<R> due(JsonNode conversation) {
        ScriptStep match = ScriptStep.find(conversation, scripts.keySet(), format);
        if (match == null) {
            return unscripted();
        }
        List<R> script = scripts.get(match.marker());
        return match.index() < script.size()
                ? new Due<>(match.marker(), match.index(), script.get(match.index()))
                : new Due<>(match.marker(), -1, fallback);
    }

    /** The fallback reply, for calls no script answers. */
    protected final Due<R> unscripted() {
        return new Due<>(null, -1, fallback);
    }

    protected final void record(C call) {
        calls.add(call);
    }

    /** Every call so far, in arrival order. */
    public List<C> calls() {
        return List.copyOf(calls);
    }

    /** The agent's model calls (main agent and subagents), in arrival order. */
    public List<C> modelCalls() {
        return calls.stream().filter(RecordedCall::isModelCall).toList();
    }

    /** The model calls matched to {@code marker}. */
    public List<C> modelCalls(String marker) {
        return modelCalls().stream().filter(c -> marker.equals(c.marker())).toList();
    }

    /** The model call that answered step {@code step} of {@code marker}'s script. */
    public C modelCall(String marker, int step) {
        return modelCalls(marker).stream()
                .filter(c -> c.replyIndex() == step)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no call for " + marker + " step " + step + "\n" + describeCalls()));
    }

    /** One line per call, for assertion messages. */
    public String describeCalls() {
        return calls.stream().map(Object::toString).collect(Collectors.joining("\n"));
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

    private void handle(HttpExchange http) {
        int n = seq.incrementAndGet();
        try (http) {
            FakeExchange exchange = new FakeExchange(http, json, n, idTag);
            exchange.setResponseHeader(requestIdHeader, exchange.requestId());
            answer(exchange);
        } catch (IOException | RuntimeException e) {
            // The client gave up or the fake has a bug; either way the CLI sees a dropped connection
            // and the test fails on the missing outcome. Keep the cause visible in the test output.
            System.err.println(name + ": call #" + n + " failed: " + e);
        }
    }
}
