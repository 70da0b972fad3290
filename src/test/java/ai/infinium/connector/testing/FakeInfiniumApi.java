package ai.infinium.connector.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for the Infinium API, for tests and benchmarks.
 *
 * <p>A small hand-written HTTP/1.1 server on a {@link ServerSocket} bound to 127.0.0.1 (one thread
 * per connection, every response carries {@code Connection: close}, so each request uses a fresh
 * connection and an injected drop always hits the request it was meant for). It serves
 * <ul>
 *   <li>{@code POST /api/v1/agents/{agentId}/trace}: auth ({@code x-agent-id} / {@code x-agent-key},
 *       401; right headers but another agent in the path, 404), {@code Content-Type:
 *       application/json} (415), body at most 1,048,576 bytes (413), the trace rules of
 *       {@link TraceValidator} (422 with {@code field}), then 200 with {@code traceId}.
 *       A request that passes those checks and carries an {@code Idempotency-Key} that already got
 *       a 200 gets the same 200 body again (plus {@code Idempotent-Replayed: true}), is counted in
 *       {@link #replays()} and is not stored twice. Rejected or faulted requests do not claim
 *       their key.</li>
 *   <li>{@code GET /api/v1/agents/{agentId}/health}: same auth, {@code {"status":"healthy",...}}.</li>
 * </ul>
 *
 * <p>Faults ({@link #failNext}, {@link #rateLimitNext}, {@link #delayNext}, {@link #dropNext}) are
 * queued and consumed one per request in FIFO order, whatever the request. They are applied after
 * the whole request has been read. {@link #setDown(boolean) setDown(true)} drops every connection
 * (after reading the request) without consuming the queue. Faulted requests appear in
 * {@link #requests()} but are never stored as traces; a delayed request is processed (and its trace
 * stored) at once, only its response is held back.
 *
 * <p>Run stand-alone: {@code java -cp target/test-classes:<jackson jars>
 * ai.infinium.connector.testing.FakeInfiniumApi <agentId> <secret> [port]} prints the base URL on
 * one line and serves (logging one line per request to stderr) until killed.
 */
public final class FakeInfiniumApi implements AutoCloseable {

    /** Largest accepted body, bytes. */
    public static final int MAX_BODY = 1_048_576;

    private static final Pattern ROUTE = Pattern.compile("^/api/v1/agents/([^/]+)/(trace|health)/?$");
    private static final int READ_TIMEOUT_MS = 15_000;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String agentId;
    private final String secret;
    private final ServerSocket server;
    private final String threadPrefix;
    private final Thread acceptor;
    private final ExecutorService workers;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile PrintStream log;
    /** How far the {@code Date} header of every answer is from the real time: a server whose clock differs. */
    private volatile Duration clockSkew = Duration.ZERO;

    // All mutable state below is guarded by `lock`; waiters are woken on every change.
    private final Object lock = new Object();
    private final List<ReceivedTrace> traces = new ArrayList<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final Map<String, String> idempotentResponses = new HashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private int replays;
    private long traceCounter;
    private boolean down;
    private double failureRate;
    private java.util.Random failures;

    private enum Kind { FAIL, RATE_LIMIT, DELAY, DROP, STALL_BODY }

    private record Fault(Kind kind, int status, int retryAfterSeconds, Duration delay) {}

    /** What to send back: a response, or nothing at all (drop the connection). */
    /** @param stallBody when set, send the headers and one byte of the body, then nothing for this long */
    private record Reply(int status, Map<String, String> headers, byte[] body, Duration stallBody) {
        static final Reply DROP = new Reply(RecordedRequest.NO_RESPONSE, Map.of(), new byte[0]);

        Reply(int status, Map<String, String> headers, byte[] body) {
            this(status, headers, body, null);
        }

        boolean isDrop() {
            return this == DROP;
        }
    }

    private FakeInfiniumApi(String agentId, String secret, int port) throws IOException {
        this.agentId = agentId;
        this.secret = secret;
        this.server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 128);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.threadPrefix = "fake-infinium-" + INSTANCES.incrementAndGet() + "-" + server.getLocalPort();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadPrefix + "-conn-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, threadPrefix + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a fake on an ephemeral port of 127.0.0.1. */
    public static FakeInfiniumApi start(String agentId, String agentSecret) {
        return start(agentId, agentSecret, 0);
    }

    /** Starts a fake on the given port of 127.0.0.1 ({@code 0}: ephemeral). */
    public static FakeInfiniumApi start(String agentId, String agentSecret, int port) {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(agentSecret, "agentSecret");
        if (agentId.isEmpty() || agentSecret.isEmpty()) {
            throw new IllegalArgumentException("agentId and agentSecret must not be empty");
        }
        try {
            return new FakeInfiniumApi(agentId, agentSecret, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start FakeInfiniumApi on port " + port, e);
        }
    }

    /** {@code agentId secret [port]}: prints the base URL and serves until killed. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: FakeInfiniumApi <agentId> <agentSecret> [port]");
            System.exit(2);
        }
        int port = args.length == 3 ? Integer.parseInt(args[2]) : 0;
        FakeInfiniumApi api = start(args[0], args[1], port);
        api.log = System.err;
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "fake-infinium-shutdown"));
        System.out.println(api.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    // ---------------------------------------------------------------- addresses

    /** {@code http://127.0.0.1:<port>/api/v1}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/api/v1";
    }

    public int port() {
        return server.getLocalPort();
    }

    public String agentId() {
        return agentId;
    }

    public String agentSecret() {
        return secret;
    }

    // ---------------------------------------------------------------- recordings

    /** The unique accepted traces, in arrival order (a snapshot). */
    public List<ReceivedTrace> traces() {
        synchronized (lock) {
            return List.copyOf(traces);
        }
    }

    /** Every request handled, including rejected, replayed and faulted ones (a snapshot). */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** How many requests were answered from the idempotency cache. */
    public int replays() {
        synchronized (lock) {
            return replays;
        }
    }

    /** Queued faults not yet consumed. */
    public int pendingFaults() {
        synchronized (lock) {
            return faults.size();
        }
    }

    /**
     * Waits until at least {@code count} traces were accepted and returns all of them (so the list
     * may hold more than {@code count}). Throws {@link AssertionError}, listing what did arrive, if
     * the count is not reached within {@code timeout}.
     */
    public List<ReceivedTrace> awaitTraces(int count, Duration timeout) {
        awaitState(() -> traces.size() >= count, timeout,
                () -> "Timed out after " + timeout + " waiting for " + count + " trace(s); got " + traces.size());
        return traces();
    }

    /** Like {@link #awaitTraces} for {@link #requests()}: waits for {@code count} handled requests. */
    public List<RecordedRequest> awaitRequests(int count, Duration timeout) {
        awaitState(() -> requests.size() >= count, timeout,
                () -> "Timed out after " + timeout + " waiting for " + count + " request(s); got " + requests.size());
        return requests();
    }

    private interface Condition {
        boolean met();
    }

    private interface Message {
        String get();
    }

    private void awaitState(Condition condition, Duration timeout, Message headline) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!condition.met()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(headline.get() + "\n  traces: " + traces
                            + "\n  requests: " + requests + "\n  replays: " + replays
                            + ", pending faults: " + faults.size() + ", down: " + down);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("Interrupted while waiting: " + headline.get(), e);
                }
            }
        }
    }

    /**
     * Forgets traces, requests, replays, idempotency keys and queued faults, clears
     * {@link #setDown down}, and restarts trace ids at {@code tr_1}.
     */
    public void reset() {
        synchronized (lock) {
            traces.clear();
            requests.clear();
            idempotentResponses.clear();
            faults.clear();
            replays = 0;
            traceCounter = 0;
            down = false;
            lock.notifyAll();
        }
    }

    // ---------------------------------------------------------------- faults

    /** The next request gets {@code status} (400–599) with a JSON error body. */
    public void failNext(int status) {
        failNext(status, 1);
    }

    /** The next {@code times} requests get {@code status} (400–599) with a JSON error body. */
    public void failNext(int status, int times) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 400-599: " + status);
        }
        if (times < 0) {
            throw new IllegalArgumentException("times must be >= 0: " + times);
        }
        for (int i = 0; i < times; i++) {
            enqueue(new Fault(Kind.FAIL, status, 0, null));
        }
    }

    /** The next request gets 429 with {@code Retry-After: retryAfterSeconds}. */
    public void rateLimitNext(int retryAfterSeconds) {
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
        }
        enqueue(new Fault(Kind.RATE_LIMIT, 429, retryAfterSeconds, null));
    }

    /** The next request is handled normally, but its response is sent only after {@code delay}. */
    public void delayNext(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        enqueue(new Fault(Kind.DELAY, 0, 0, delay));
    }

    /**
     * The next request's connection is closed (after the request was read) without any HTTP
     * response. Note: the JDK {@code HttpClient} transparently retries an idempotent request (a
     * GET) once when this happens, so a single drop on a health check is invisible to it; POSTs are
     * not retried and fail with an {@link IOException}.
     */
    public void dropNext() {
        enqueue(new Fault(Kind.DROP, 0, 0, null));
    }

    /** From now on each request without a queued fault fails with 503 with this probability (seeded: repeatable). */
    public void failRandomly(double rate, long seed) {
        synchronized (lock) {
            failureRate = rate;
            failures = new java.util.Random(seed);
        }
    }

    /**
     * The next request is handled normally (its trace stored), but its response stalls after the
     * headers and the body's first byte, for {@code stall}, then the connection closes: a proxy or
     * server hanging mid-response, which the JDK's request timeout no longer covers.
     */
    public void stallAfterHeadersNext(Duration stall) {
        enqueue(new Fault(Kind.STALL_BODY, 0, 0, stall));
    }

    /**
     * While down, every request's connection is closed without a response (queued faults wait
     * until the fake is up again).
     */
    public void setDown(boolean isDown) {
        synchronized (lock) {
            down = isDown;
        }
    }

    /** Every answer's {@code Date} header is this far ahead of the real time (negative: behind), as a real server sends its own clock. */
    public void skewClock(Duration skew) {
        clockSkew = skew;
    }

    private void enqueue(Fault f) {
        synchronized (lock) {
            faults.addLast(f);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Stops the server, closes open connections and waits for its threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : openSockets) {
            closeQuietly(s);
        }
        workers.shutdownNow();
        try {
            acceptor.join(5_000);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    @Override
    public String toString() {
        return "FakeInfiniumApi[" + baseUrl() + ", agent=" + agentId + "]";
    }

    private void acceptLoop() {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (closed.get()) {
                    return;
                }
                continue; // transient accept failure
            }
            openSockets.add(socket);
            if (closed.get()) {
                // close() may have iterated openSockets before this one was added.
                openSockets.remove(socket);
                closeQuietly(socket);
                return;
            }
            try {
                workers.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                openSockets.remove(socket);
                closeQuietly(socket);
                return;
            }
        }
    }

    // ---------------------------------------------------------------- request handling

    private void serve(Socket socket) {
        try {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            HttpWire.Request request;
            try {
                request = HttpWire.read(in, out, MAX_BODY);
            } catch (HttpWire.BadRequest e) {
                synchronized (lock) {
                    recordLocked(new RecordedRequest("?", "?", Map.of(), e.status, 0, RecordedRequest.Fault.NONE,
                            Instant.now()));
                }
                HttpWire.writeResponse(out, e.status, Map.of(), error(e.getMessage()));
                return;
            }
            if (request == null) {
                return; // connected and closed without a request
            }
            Reply reply = handle(request);
            if (reply.isDrop()) {
                return; // finally-block closes the socket: the client sees EOF, no response
            }
            Map<String, String> headers = new HashMap<>(reply.headers());
            headers.put("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plus(clockSkew)));
            if (reply.stallBody() != null) {
                HttpWire.writeResponseHead(out, reply.status(), headers, reply.body(), 1);
                Thread.sleep(reply.stallBody().toMillis());
                return;
            }
            HttpWire.writeResponse(out, reply.status(), headers, reply.body());
            socket.shutdownOutput();
        } catch (InterruptedException e) {
            // close() during a delay
        } catch (SocketException e) {
            // peer went away, or close() closed the socket
        } catch (IOException e) {
            // read timeout, truncated request: nothing to answer
        } finally {
            openSockets.remove(socket);
            closeQuietly(socket);
        }
    }

    private Reply handle(HttpWire.Request r) throws InterruptedException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try {
            return handleCounted(r);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The most requests this fake has been handling at one moment (a delayed one counts while it waits). */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    private Reply handleCounted(HttpWire.Request r) throws InterruptedException {
        Fault fault;
        synchronized (lock) {
            if (down) {
                recordLocked(r, RecordedRequest.NO_RESPONSE, RecordedRequest.Fault.DOWN);
                return Reply.DROP;
            }
            fault = faults.pollFirst();
            if (fault == null && failureRate > 0 && failures.nextDouble() < failureRate) {
                fault = new Fault(Kind.FAIL, 503, 0, null);
            }
            if (fault != null) {
                switch (fault.kind()) {
                    case DROP:
                        recordLocked(r, RecordedRequest.NO_RESPONSE, RecordedRequest.Fault.DROP);
                        return Reply.DROP;
                    case FAIL:
                        recordLocked(r, fault.status(), RecordedRequest.Fault.FAIL);
                        return new Reply(fault.status(), Map.of(), injectedError(fault.status()));
                    case RATE_LIMIT:
                        recordLocked(r, 429, RecordedRequest.Fault.RATE_LIMIT);
                        ObjectNode body = JSON.createObjectNode()
                                .put("success", false)
                                .put("message", "Rate limit exceeded. Retry after "
                                        + fault.retryAfterSeconds() + " seconds.")
                                .put("retryAfter", fault.retryAfterSeconds());
                        return new Reply(429, Map.of("Retry-After", Integer.toString(fault.retryAfterSeconds())),
                                bytes(body));
                    default:
                        break; // DELAY, STALL_BODY: handled below
                }
            }
        }
        boolean delayed = fault != null && fault.kind() == Kind.DELAY;
        Reply reply = process(r, delayed ? RecordedRequest.Fault.DELAY : RecordedRequest.Fault.NONE);
        if (fault != null && fault.kind() == Kind.STALL_BODY) {
            return new Reply(reply.status(), reply.headers(), reply.body(), fault.delay());
        }
        if (delayed) {
            long ms = fault.delay().toMillis();
            if (ms > 0) {
                Thread.sleep(ms);
            }
        }
        return reply;
    }

    /** The real API's behaviour; records the request. */
    private Reply process(HttpWire.Request r, RecordedRequest.Fault fault) {
        Matcher m = ROUTE.matcher(r.path());
        if (!m.matches()) {
            return answer(r, fault, 404, error("Not found"));
        }
        String pathAgent = URLDecoder.decode(m.group(1).replace("+", "%2B"), StandardCharsets.UTF_8);
        boolean isTrace = m.group(2).equals("trace");
        String allowed = isTrace ? "POST" : "GET";
        if (!r.method().equals(allowed)) {
            return new Reply(405, Map.of("Allow", allowed), recordAndGet(r, 405, fault, error("Method not allowed")));
        }

        boolean credentialsOk = agentId.equals(r.header("x-agent-id")) && secret.equals(r.header("x-agent-key"));
        if (!credentialsOk) {
            return answer(r, fault, 401, error("Authentication failed"));
        }
        if (!agentId.equals(pathAgent)) {
            return answer(r, fault, 404, error("Agent not found"));
        }

        if (!isTrace) {
            ObjectNode health = JSON.createObjectNode()
                    .put("status", "healthy")
                    .put("agentName", "Test Agent")
                    .put("timestamp", Instant.now().toString());
            return answer(r, fault, 200, bytes(health));
        }

        if (!isJson(r.header("content-type"))) {
            return answer(r, fault, 415, error("Content-Type must be application/json"));
        }
        if (r.body() == null || r.bodySize() > MAX_BODY) {
            ObjectNode tooLarge = JSON.createObjectNode()
                    .put("success", false)
                    .put("message", "Payload exceeds 1MB")
                    .put("maxSize", MAX_BODY)
                    .put("actualSize", r.bodySize());
            return answer(r, fault, 413, bytes(tooLarge));
        }

        String key = r.header("idempotency-key");
        if (key != null && key.isEmpty()) {
            key = null;
        }

        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (JsonProcessingException e) {
            return answer(r, fault, 422, validationError("body", "Request body is not valid JSON: "
                    + e.getOriginalMessage()));
        } catch (IOException e) {
            return answer(r, fault, 422, validationError("body", "Request body is not valid JSON"));
        }
        TraceValidator.Violation v = TraceValidator.validate(body);
        if (v != null) {
            return answer(r, fault, 422, validationError(v.field(), v.message()));
        }

        synchronized (lock) {
            if (key != null) {
                String previous = idempotentResponses.get(key);
                if (previous != null) {
                    return replayLocked(r, fault, previous);
                }
            }
            String traceId = "tr_" + (++traceCounter);
            ObjectNode ok = JSON.createObjectNode()
                    .put("success", true)
                    .put("message", "Trace received")
                    .put("traceId", traceId);
            ok.putObject("data").put("traceId", traceId);
            String okBody = new String(bytes(ok), StandardCharsets.UTF_8);
            if (key != null) {
                idempotentResponses.put(key, okBody);
            }
            traces.add(new ReceivedTrace(traceId, body, r.headers(), key, Instant.now()));
            recordLocked(r, 200, fault);
            return new Reply(200, Map.of(), okBody.getBytes(StandardCharsets.UTF_8));
        }
    }

    private Reply replayLocked(HttpWire.Request r, RecordedRequest.Fault fault, String previous) {
        replays++;
        recordLocked(r, 200, fault);
        return new Reply(200, Map.of("Idempotent-Replayed", "true"), previous.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        return type.equalsIgnoreCase("application/json");
    }

    private Reply answer(HttpWire.Request r, RecordedRequest.Fault fault, int status, byte[] body) {
        return new Reply(status, Map.of(), recordAndGet(r, status, fault, body));
    }

    private byte[] recordAndGet(HttpWire.Request r, int status, RecordedRequest.Fault fault, byte[] body) {
        synchronized (lock) {
            recordLocked(r, status, fault);
        }
        return body;
    }

    private void recordLocked(HttpWire.Request r, int status, RecordedRequest.Fault fault) {
        recordLocked(new RecordedRequest(r.method(), r.target(), r.headers(), status, r.bodySize(), fault,
                Instant.now()));
    }

    private void recordLocked(RecordedRequest rec) {
        requests.add(rec);
        lock.notifyAll();
        PrintStream l = log;
        if (l != null) {
            l.println(Instant.now() + " " + rec);
        }
    }

    // ---------------------------------------------------------------- JSON helpers

    private static byte[] error(String message) {
        return bytes(JSON.createObjectNode().put("success", false).put("message", message));
    }

    private static byte[] validationError(String field, String message) {
        return bytes(JSON.createObjectNode().put("success", false).put("message", message).put("field", field));
    }

    private static byte[] injectedError(int status) {
        String message = status >= 500 ? "Server error: " + status : "Request failed with status " + status;
        return bytes(JSON.createObjectNode()
                .put("success", false)
                .put("message", message)
                .put("error", "injected fault"));
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
