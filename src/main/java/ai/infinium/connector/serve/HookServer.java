package ai.infinium.connector.serve;

import ai.infinium.connector.Context;
import ai.infinium.connector.Version;
import ai.infinium.connector.config.ServerToken;
import ai.infinium.connector.diag.ErrorLog;
import ai.infinium.connector.flush.FlushWorker;
import ai.infinium.connector.hook.EventRecorder;
import ai.infinium.connector.hook.HookCommand;
import ai.infinium.connector.hook.SessionFileName;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loopback server that Claude Code's {@code "type": "http"} hooks (and the launcher, for
 * command hooks) post events to. It records each event exactly as the command hook does and
 * answers {@code 200 {}} before any flush work; the flush runs on warm threads.
 *
 * <p>Only the owner gets in: every request needs the per-user token, a {@code Host} naming this
 * loopback port (a web page the user visits can reach localhost, but through DNS rebinding only
 * under its own host name) and no {@code Origin} (browsers send one, hooks do not). Whatever it
 * answers is a non-blocking outcome for the agent: the body is {@code {}} or an error text.
 */
public final class HookServer {
    static final String HOOK_PATH = "/hook/";
    private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.US_ASCII);

    private final Context ctx;
    private volatile String token;
    private final Duration idleTimeout;
    private final ErrorLog log;
    private final EventRecorder recorder;
    private final FlushScheduler flushes;
    private final AtomicLong eventsReceived = new AtomicLong();
    private final AtomicLong requestsRejected = new AtomicLong();
    private final AtomicLong lastActivity = new AtomicLong(System.currentTimeMillis());
    private final Map<Path, Boolean> openSessions = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final long startedAt = System.currentTimeMillis();
    private HttpServer http;
    private ExecutorService intake;
    private ScheduledExecutorService timers;
    private int port;
    private String stopReason = "running";

    public HookServer(Context ctx, String token, Duration idleTimeout) {
        this.ctx = ctx;
        this.token = token;
        this.idleTimeout = idleTimeout;
        this.log = ctx.log();
        this.recorder = new EventRecorder(ctx.dirs(), ctx.settings(), log);
        this.flushes = new FlushScheduler(new FlushWorker(ctx), log);
    }

    /** Binds 127.0.0.1:{@code port} (0 = any free port); throws {@link java.net.BindException} when taken. */
    public void start(int requestedPort) throws IOException {
        tuneJdkServer();
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 64);
        port = http.getAddress().getPort();
        // A thread per request being handled, not a fixed few: the JDK reads the request line and headers
        // on this executor with no timeout, so any local process that connects and sends a byte holds a
        // thread (no token needed for that). Four of them used to shut every hook out.
        intake = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "infinium-intake");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(intake);
        http.createContext("/", this::handle);
        http.start();
        timers = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "infinium-timers");
            t.setDaemon(true);
            return t;
        });
        long checkMillis = Math.max(200, Math.min(idleTimeout.toMillis() / 10, 10_000));
        timers.scheduleWithFixedDelay(this::checkIdle, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(flushes::staleScan, 60, 60, TimeUnit.SECONDS);
        // Traces a previous server or a command-mode worker left in the outbox go out now.
        flushes.requestDelivery();
    }

    public int port() {
        return port;
    }

    /**
     * The JDK's server reads these once, when its first server is made, so they are set here,
     * before that, whoever starts the server (the detached process, {@code --foreground}, a test),
     * and only where the JVM was not given them. Without TCP_NODELAY a small answer waits on the
     * client's delayed ACK (about 40 ms per hook on Linux); without a request time limit a
     * connection that sends part of a request and stalls holds a thread for good.
     */
    private static void tuneJdkServer() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "30");
        }
    }

    /** Blocks until the server has stopped; returns why it stopped. */
    public String awaitStop() throws InterruptedException {
        stopped.await();
        return stopReason;
    }

    /** Stops taking events, finishes the flushes that are due (delivery gets a few seconds), returns. */
    public void stop(String why) {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        stopReason = why;
        try {
            http.stop(1); // a second for requests already being read: their events are recorded, not cut off
            timers.shutdownNow();
            flushes.drain(30_000, 10_000);
            intake.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    private void checkIdle() {
        long idle = System.currentTimeMillis() - lastActivity.get();
        if (idle >= idleTimeout.toMillis() && !flushes.busy()) {
            log.info("server: no events for " + idleTimeout.toSeconds() + " s, stopping (the next session starts it again)");
            // stop() waits for the timer executor's own tasks: not from this thread
            new Thread(() -> stop("idle for " + idleTimeout.toSeconds() + " s"), "infinium-stop").start();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Refusal refusal = refusal(ex);
            if (refusal != null) {
                requestsRejected.incrementAndGet();
                drain(ex.getRequestBody());
                reply(ex, refusal.status(), refusal.why());
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.startsWith(HOOK_PATH) && path.length() > HOOK_PATH.length()) {
                if (!"POST".equals(method)) {
                    reply(ex, 405, "hook events are POSTed");
                    return;
                }
                intake(ex, path.substring(HOOK_PATH.length()));
            } else if (path.equals("/status") && "GET".equals(method)) {
                replyJson(ex, 200, statusJson().getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/shutdown") && "POST".equals(method)) {
                replyJson(ex, 200, EMPTY_OBJECT);
                new Thread(() -> stop("stopped on request"), "infinium-stop").start();
            } else {
                reply(ex, 404, "no such endpoint: " + method + " " + path);
            }
        } catch (IOException | RuntimeException e) {
            log.error("server: request failed: " + e);
        }
    }

    private record Refusal(int status, String why) {}

    /** Null when the request may proceed. */
    private Refusal refusal(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        if (!isOwnHost(host)) {
            return new Refusal(403, "Host '" + host + "' is not this loopback server");
        }
        if (ex.getRequestHeaders().containsKey("Origin")) {
            return new Refusal(403, "requests from web pages are not accepted");
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        if (!ServerToken.matches(token, presented)) {
            // `init` may have replaced the token file (one others could read is never used): the
            // hooks it wrote carry the new token, so follow the file rather than refuse them all.
            String current = currentToken();
            if (current == null || current.equals(token) || !ServerToken.matches(current, presented)) {
                return new Refusal(401, "missing or wrong token");
            }
            token = current;
            log.info("server: the token file was replaced; the new token is in use");
        }
        return null;
    }

    private String currentToken() {
        try {
            return ServerToken.readIfPrivate(new ai.infinium.connector.config.ServerFiles(ctx.dirs(), ctx.env()));
        } catch (IOException e) {
            return null;
        }
    }

    private boolean isOwnHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.trim().toLowerCase(Locale.ROOT);
        String suffix = ":" + port;
        return Set.of("127.0.0.1" + suffix, "localhost" + suffix, "[::1]" + suffix).contains(h);
    }

    private void intake(HttpExchange ex, String agent) throws IOException {
        if (!SessionFileName.isPlain(agent)) {
            reply(ex, 404, "unknown agent");
            return;
        }
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && parseLong(declared) > HookCommand.MAX_PAYLOAD_BYTES) {
            requestsRejected.incrementAndGet();
            log.error("server: event of " + declared + " bytes refused (limit " + HookCommand.MAX_PAYLOAD_BYTES + ")");
            reply(ex, 413, "event larger than " + HookCommand.MAX_PAYLOAD_BYTES + " bytes");
            return;
        }
        byte[] body = readBounded(ex.getRequestBody());
        if (body == null) {
            requestsRejected.incrementAndGet();
            log.error("server: event over " + HookCommand.MAX_PAYLOAD_BYTES + " bytes refused");
            reply(ex, 413, "event larger than " + HookCommand.MAX_PAYLOAD_BYTES + " bytes");
            return;
        }
        lastActivity.set(System.currentTimeMillis());
        EventRecorder.Outcome outcome = recorder.record(agent, body);
        eventsReceived.incrementAndGet();
        if (outcome.trigger() == ai.infinium.connector.hook.FlushTrigger.SESSION_END) {
            openSessions.remove(outcome.spool());
        } else if (outcome.spool() != null) {
            openSessions.put(outcome.spool(), Boolean.TRUE);
        }
        // Queued before the answer: a stop that follows an acknowledged Stop drains its flush.
        flushes.after(outcome);
        replyJson(ex, 200, EMPTY_OBJECT);
    }

    private String statusJson() {
        openSessions.keySet().removeIf(p -> !Files.exists(p));
        long now = System.currentTimeMillis();
        return "{\"running\":true,\"pid\":" + ProcessHandle.current().pid() + ",\"port\":" + port
                + ",\"url\":\"http://127.0.0.1:" + port + "\",\"version\":\"" + Version.get() + "\""
                + ",\"started_at\":\"" + Instant.ofEpochMilli(startedAt) + "\""
                + ",\"uptime_seconds\":" + (now - startedAt) / 1000
                + ",\"events_received\":" + eventsReceived.get()
                + ",\"requests_rejected\":" + requestsRejected.get()
                + ",\"sessions_open\":" + openSessions.size()
                + ",\"traces_queued\":" + flushes.tracesQueued()
                + ",\"idle_seconds\":" + (now - lastActivity.get()) / 1000
                + ",\"idle_timeout_seconds\":" + idleTimeout.toSeconds() + "}";
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
        byte[] chunk = new byte[65536];
        long total = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            total += n;
            if (total > HookCommand.MAX_PAYLOAD_BYTES) {
                return null;
            }
            buf.write(chunk, 0, n);
        }
        return buf.toByteArray();
    }

    private static void drain(InputStream in) throws IOException {
        byte[] chunk = new byte[8192];
        long left = 1 << 20; // a refused client's body is read a little, so its connection closes cleanly
        int n;
        while (left > 0 && (n = in.read(chunk)) > 0) {
            left -= n;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void reply(HttpExchange ex, int code, String message) throws IOException {
        send(ex, code, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
    }

    private static void replyJson(HttpExchange ex, int code, byte[] body) throws IOException {
        send(ex, code, "application/json", body);
    }

    private static void send(HttpExchange ex, int code, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
