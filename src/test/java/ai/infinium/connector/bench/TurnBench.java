package ai.infinium.connector.bench;

import static ai.infinium.connector.e2e.FakeReply.reply;
import static ai.infinium.connector.e2e.FakeReply.text;
import static ai.infinium.connector.e2e.FakeReply.toolUse;

import ai.infinium.connector.e2e.ClaudeCodeBinary;
import ai.infinium.connector.e2e.ClaudeCodeRun;
import ai.infinium.connector.e2e.FakeAnthropicApi;
import ai.infinium.connector.e2e.FakeReply;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.FreePort;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The real-agent turn benchmark behind {@code bench/turn-bench.sh}: one {@code claude -p} turn of
 * the real Claude Code 2.1.330 (offline, against {@link FakeAnthropicApi}) that makes twelve
 * sequential Bash tool calls, run round by round, alternating, in six projects that differ only
 * in their hooks:
 *
 * <ul>
 *   <li>{@code bare}: no hooks at all, the floor;</li>
 *   <li>{@code null-http}: an http hook as server mode installs them (timeout, header) on
 *       PreToolUse and PostToolUse, pointed at a loopback responder in this JVM that answers
 *       {@code {}} at once, and nothing else: what Claude Code's own http-hook machinery costs per
 *       tool call, whoever answers (why server mode hooks neither event);</li>
 *   <li>{@code async-command}: an {@code "async": true} command hook running the launcher on the
 *       same two events, forwarded to the running server: what Claude Code spends spawning a
 *       background hook per event;</li>
 *   <li>{@code server}: {@code infinium init --mode server} (the default): no hook on a tool call's
 *       start or result (the flush reads them from the transcript), http hooks on the rare tool
 *       events (failures, denials, subagents, compaction; none fires here), the turn boundaries
 *       command hooks the launcher forwards to the server. Steady state: the server is already
 *       running (started by the SessionStart hook of the cold turns, below);</li>
 *   <li>{@code command}: {@code init --mode command} with {@code INFINIUM_NO_FORWARD=1}: a JVM per
 *       event;</li>
 *   <li>{@code forward}: the same command hooks, forwarding allowed, the server running: every
 *       event is sh + bash /dev/tcp to the server (what Codex users get).</li>
 * </ul>
 *
 * Before the rounds, {@code cold} server-mode turns each start with no server running (stopped
 * first): their SessionStart hook starts it. Those are reported on their own.
 *
 * <p>Between turns (untimed) the bench waits for the turn's trace at the loopback
 * {@link FakeInfiniumApi} and for every flush worker to finish, so no turn runs beside the
 * previous one's background work, and checks the trace: one per session, 12 {@code tool_use}
 * steps {@code echo 1}..{@code echo 12} with their outputs. It also reads the server's event
 * counter before and after each turn: a server turn must bring it the 4 boundary events
 * (SessionStart, UserPromptSubmit, Stop, SessionEnd), a forward turn those and 12 × Pre/PostToolUse,
 * an async-command turn the 24 tool events (fewer is reported, not failed: {@code claude -p} kills
 * async hooks still running when it exits), the command turns none.
 *
 * <p>Not a test: a main in test scope, launched by the script with the test class path.
 * Arguments: {@code WORK_DIR ROUNDS WARMUP COLD REPORT_FILE}. Progress goes to stderr, the
 * Markdown tables to REPORT_FILE. Everything lives under WORK_DIR (the script removes it):
 * HOME, XDG directories, the session directory, the secret store (a file), a free loopback port
 * for the server; the server it started is stopped at the end.
 */
public final class TurnBench {
    static final String AGENT = "agent-bench-0001";
    static final String SECRET = "bench-secret-Qx7mW2p";
    static final int TOOL_CALLS = 12;
    /** SessionStart, UserPromptSubmit, Stop, SessionEnd. */
    static final int BOUNDARY_EVENTS = 4;
    static final String MARKER = "BENCH-12CALLS";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration SETTLE_MAX = Duration.ofSeconds(90);

    enum Variant {
        BARE("no hooks"),
        NULL_HTTP("http hooks on PreToolUse and PostToolUse to a loopback responder answering {} (Claude Code's own http-hook cost)"),
        ASYNC_COMMAND("async command hooks on PreToolUse and PostToolUse, forwarded to the running server (Claude Code's cost of spawning them)"),
        SERVER("server mode, the default (server running; tool calls read from the transcript)"),
        COMMAND("command mode, INFINIUM_NO_FORWARD=1 (a JVM per event)"),
        FORWARD("command mode, forwarded to the running server (sh + bash /dev/tcp)");

        final String description;

        Variant(String description) {
            this.description = description;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Installed by {@code infinium init}: a trace per turn. */
        boolean traced() {
            return this != BARE && this != NULL_HTTP && this != ASYNC_COMMAND;
        }

        /** Events the server receives per turn once it runs. */
        int serverEvents() {
            switch (this) {
                case SERVER: return BOUNDARY_EVENTS;
                case FORWARD: return 2 * TOOL_CALLS + BOUNDARY_EVENTS;
                case ASYNC_COMMAND: return 2 * TOOL_CALLS;
                default: return 0;
            }
        }
    }

    enum Phase { COLD, WARMUP, TIMED }

    record Turn(Variant variant, Phase phase, int round, double ms, String sessionId, String traceCheck,
            boolean complete, long serverEvents, Inside inside) {}

    /**
     * What Claude Code's own {@code --debug} log says about a turn (timestamps in ms): the tool loop's
     * cycle (median interval between consecutive {@code tool_dispatch_start} lines: model call, hooks,
     * tool), the http hooks' round trips ({@code HTTP hook POST} to {@code response status}) and the
     * command hooks' durations as Claude Code reports them ({@code finished with status 0 (N ms)}).
     * Immune to the CLI's start-up and exit, which vary by far more than a hook costs.
     */
    record Inside(double cycleMs, double httpHookMs, double commandHooksMs, int toolCalls) {
        static final Inside NONE = new Inside(Double.NaN, Double.NaN, Double.NaN, 0);

        static Inside of(Path debugLog) throws IOException {
            if (!Files.isRegularFile(debugLog)) {
                return NONE;
            }
            List<Long> dispatch = new ArrayList<>();
            List<Double> http = new ArrayList<>();
            double command = 0;
            long postAt = -1;
            java.util.regex.Pattern line = java.util.regex.Pattern.compile("^(\\S+Z) \\[\\w+\\] (.*)$");
            java.util.regex.Pattern took = java.util.regex.Pattern.compile("finished with status \\d+ \\((\\d+)ms\\)");
            for (String l : Files.readAllLines(debugLog, StandardCharsets.UTF_8)) {
                java.util.regex.Matcher m = line.matcher(l);
                if (!m.matches()) {
                    continue;
                }
                String text = m.group(2);
                long at;
                try {
                    at = Instant.parse(m.group(1)).toEpochMilli();
                } catch (java.time.format.DateTimeParseException e) {
                    continue;
                }
                if (text.contains("tool_dispatch_start")) {
                    dispatch.add(at);
                } else if (text.startsWith("Hooks: HTTP hook POST")) {
                    postAt = at;
                } else if (text.startsWith("Hooks: HTTP hook response") && postAt >= 0) {
                    http.add((double) (at - postAt));
                    postAt = -1;
                } else {
                    java.util.regex.Matcher t = took.matcher(text);
                    if (text.startsWith("Hooks: ") && t.find()) {
                        command += Double.parseDouble(t.group(1));
                    }
                }
            }
            double[] cycles = new double[Math.max(0, dispatch.size() - 1)];
            for (int i = 1; i < dispatch.size(); i++) {
                cycles[i - 1] = dispatch.get(i) - dispatch.get(i - 1);
            }
            return new Inside(Stats.p50(cycles), http.isEmpty() ? Double.NaN
                    : Stats.p50(http.stream().mapToDouble(Double::doubleValue).toArray()), command, dispatch.size());
        }
    }

    private final Path work;
    private final Path root;
    private final Path launcher;
    private final Path jar;
    private final PrintStream progress = System.err;
    private final FakeAnthropicApi anthropic;
    private final FakeInfiniumApi infinium;
    private final TestEnv connector;
    private final Map<String, String> launcherEnv;
    private final int port;
    private final Map<Variant, ClaudeCodeRun> projects = new EnumMap<>(Variant.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> problems = new ArrayList<>();
    private final HttpServer nullHttp;
    private final AtomicLong nullHttpRequests = new AtomicLong();

    private TurnBench(Path work) throws Exception {
        this.work = work;
        this.root = Path.of("").toAbsolutePath();
        this.launcher = root.resolve("bin").resolve("infinium");
        this.jar = root.resolve("target").resolve("infinium.jar");
        if (!Files.isRegularFile(jar) || !Files.isExecutable(launcher)) {
            throw new IllegalStateException("run from the repository root after `mvn package`: " + jar);
        }
        this.anthropic = FakeAnthropicApi.start();
        // The floor of any http hook: the JDK's HttpServer (as the infinium server), answering {} at once.
        this.nullHttp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        nullHttp.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "null-http");
            t.setDaemon(true);
            return t;
        }));
        nullHttp.createContext("/", ex -> {
            try (ex) {
                ex.getRequestBody().readAllBytes();
                nullHttpRequests.incrementAndGet();
                byte[] body = {'{', '}'};
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        nullHttp.start();
        this.infinium = FakeInfiniumApi.start(AGENT, SECRET);
        this.port = FreePort.find();
        Path tmp = Files.createDirectories(work.resolve("connector").resolve("tmp"));
        this.connector = new TestEnv(work.resolve("connector"))
                .with("INFINIUM_SERVER_PORT", String.valueOf(port))
                // a server this bench leaves behind by accident stops by itself
                .with("INFINIUM_SERVER_IDLE_TIMEOUT", "300")
                // never the user's keyring: the secret goes to a file under the work dir
                .with("INFINIUM_SECRET_STORE", "file")
                .with("LANG", "C.UTF-8")
                .with("TMPDIR", tmp.toString());
        // INFINIUM_JAVA / INFINIUM_NO_ARCHIVE: benchmark another JDK, or none of the archive (as hook-bench.sh)
        for (String k : List.of("INFINIUM_JAVA", "INFINIUM_NO_ARCHIVE")) {
            connector.with(k, System.getenv(k));
        }
        this.launcherEnv = connector.env();
        for (Variant v : Variant.values()) {
            ClaudeCodeRun.Builder b = ClaudeCodeRun.builder(work.resolve(v.id())).baseUrl(anthropic.baseUrl())
                    .env("CLAUDE_CODE_MAX_RETRIES", "0")
                    .timeout(Duration.ofSeconds(300));
            // The hooks run with Claude Code's environment: the same per-user directories for all
            // four, so there is one server (and the bare project gets them too, unused).
            for (String k : List.of("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "CONNECTOR_SESSION_DIR",
                    "INFINIUM_SERVER_PORT", "INFINIUM_SERVER_IDLE_TIMEOUT", "INFINIUM_SECRET_STORE", "INFINIUM_JAVA",
                    "INFINIUM_NO_ARCHIVE")) {
                if (launcherEnv.containsKey(k)) {
                    b.env(k, launcherEnv.get(k));
                }
            }
            if (v == Variant.COMMAND) {
                b.env("INFINIUM_NO_FORWARD", "1");
            }
            projects.put(v, b.build());
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: TurnBench WORK_DIR ROUNDS WARMUP COLD REPORT_FILE");
            System.exit(2);
        }
        // This JVM's HttpServers (the fake Messages API, the null responder) answer without Nagle: on
        // JDK 17 the JDK's HttpServer writes a response in two segments, and at a tool loop's pace a
        // client's delayed ACK then holds the second ~40 ms (measured: bench/server-bench.sh).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        Path work = Path.of(args[0]).toAbsolutePath();
        int rounds = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        int cold = Integer.parseInt(args[3]);
        Path report = Path.of(args[4]);
        TurnBench bench = new TurnBench(work);
        Thread stopper = new Thread(bench::stopServerQuietly, "stop-server");
        Runtime.getRuntime().addShutdownHook(stopper);
        int code;
        try {
            code = bench.run(rounds, warmup, cold, report);
        } finally {
            bench.stopServerQuietly();
            bench.anthropic.close();
            bench.nullHttp.stop(0);
            bench.infinium.close();
        }
        System.exit(code);
    }

    private int run(int rounds, int warmup, int cold, Path report) throws Exception {
        progress.println("turn-bench: Claude Code " + ClaudeCodeBinary.VERSION + " at " + ClaudeCodeBinary.executable());
        progress.println("turn-bench: work dir " + work + ", server port " + port);
        setUp();

        // 1. Cold: the server is not running; the turn's SessionStart hook starts it.
        List<Turn> coldTurns = new ArrayList<>();
        for (int i = 0; i < cold; i++) {
            stopServer();
            coldTurns.add(turn(Variant.SERVER, Phase.COLD, i));
            awaitServerUp(Duration.ofSeconds(30));
        }
        if (cold == 0) {
            startServer();
        }
        long serverPid = serverPid();
        progress.println("turn-bench: server running, pid " + serverPid);

        // 2. Warm-up rounds (untimed, still checked), then the timed rounds, order rotating.
        Variant[] order = Variant.values();
        List<Turn> timed = new ArrayList<>();
        for (int r = 0; r < warmup + rounds; r++) {
            for (int k = 0; k < order.length; k++) {
                Variant v = order[(r + k) % order.length];
                Turn t = r < warmup ? turn(v, Phase.WARMUP, r) : turn(v, Phase.TIMED, r - warmup);
                if (r >= warmup) {
                    timed.add(t);
                }
            }
        }
        long pidAfter = serverPid();
        if (pidAfter != serverPid) {
            problems.add("the server restarted during the rounds (pid " + serverPid + " -> " + pidAfter + ")");
        }
        checkOneTracePerSession(coldTurns, timed);
        Files.writeString(report, markdown(rounds, warmup, coldTurns, timed), StandardCharsets.UTF_8);
        return problems.isEmpty() ? 0 : 1;
    }

    // ------------------------------------------------------------------ set-up

    private void setUp() throws Exception {
        anthropic.script(MARKER, script());
        // The launcher's first call probes the JDK and (re)creates the class-data archive if the
        // jar changed: a command a person runs does that synchronously, before any hook.
        Cmd version = launch(work, "--version");
        if (version.code != 0) {
            throw new IllegalStateException("launcher --version failed: " + version);
        }
        for (Variant v : Variant.values()) {
            if (!v.traced()) {
                continue;
            }
            String mode = v == Variant.SERVER ? "server" : "command";
            Cmd init = launch(projects.get(v).projectDir(), "init", "--no-interactive", "--agent", "claude-code",
                    "--agent-id", AGENT, "--agent-secret", SECRET, "--base-url", infinium.baseUrl(), "--mode", mode);
            if (init.code != 0) {
                throw new IllegalStateException("init --mode " + mode + " failed: " + init);
            }
            progress.println("turn-bench: " + v.id() + ": " + hookSummary(projects.get(v).projectDir()));
        }
        writeToolCallHooks();
        progress.println("turn-bench: " + Variant.NULL_HTTP.id() + ": " + hookSummary(projects.get(Variant.NULL_HTTP).projectDir()));
        progress.println("turn-bench: " + Variant.ASYNC_COMMAND.id() + ": "
                + hookSummary(projects.get(Variant.ASYNC_COMMAND).projectDir()));
        // The once-a-minute stale-session scan of the command hook (a detached `flush --stale`
        // JVM) is a background event, not a per-event cost: kept out of the timed turns by a
        // future-dated marker, as in hook-bench.sh. The server's own scan (a timer, in-process) runs.
        Path marker = connector.dirs().sessions().resolve(".stale-scan");
        Files.createDirectories(marker.getParent());
        Files.write(marker, new byte[0]);
        Files.setLastModifiedTime(marker, FileTime.from(Instant.parse("2099-01-01T00:00:00Z")));
    }

    /** Twelve replies of one Bash call each ({@code echo N}), then the final text. */
    static FakeReply[] script() {
        FakeReply[] replies = new FakeReply[TOOL_CALLS + 1];
        for (int i = 1; i <= TOOL_CALLS; i++) {
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("command", "echo " + i);
            input.put("description", "Print " + i);
            replies[i - 1] = reply(toolUse("Bash", input));
        }
        replies[TOOL_CALLS] = reply(text("Done: printed 1 to " + TOOL_CALLS + "."));
        return replies;
    }

    /**
     * The two hook-per-tool-call designs server mode does not use, for comparison: an http hook
     * (as server mode installs them: timeout, header) on PreToolUse and PostToolUse pointed at
     * the null responder, and an async command hook on both running the launcher, which forwards
     * the event to the server. Only these hooks: what Claude Code itself spends on them.
     */
    private void writeToolCallHooks() throws IOException {
        JsonNode installed = JSON.readTree(projects.get(Variant.SERVER).projectDir().resolve(".claude")
                .resolve("settings.local.json").toFile()).path("hooks");
        ObjectNode http = installed.path("PostToolUseFailure").get(0).path("hooks").get(0).deepCopy();
        http.put("url", "http://127.0.0.1:" + nullHttp.getAddress().getPort() + "/hook/claude-code");
        ObjectNode command = installed.path("Stop").get(0).path("hooks").get(0).deepCopy();
        command.put("async", true);
        writeHooks(Variant.NULL_HTTP, http);
        writeHooks(Variant.ASYNC_COMMAND, command);
    }

    private void writeHooks(Variant v, ObjectNode handler) throws IOException {
        ObjectNode settings = JSON.createObjectNode();
        ObjectNode hooks = settings.putObject("hooks");
        for (String event : List.of("PreToolUse", "PostToolUse")) {
            hooks.putArray(event).addObject().putArray("hooks").add(handler.deepCopy());
        }
        Path to = projects.get(v).projectDir().resolve(".claude");
        Files.createDirectories(to);
        Files.writeString(to.resolve("settings.local.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(settings));
    }

    private String hookSummary(Path project) throws IOException {
        JsonNode hooks = JSON.readTree(project.resolve(".claude").resolve("settings.local.json").toFile()).path("hooks");
        int httpHooks = 0;
        int commandHooks = 0;
        for (JsonNode groups : hooks) {
            for (JsonNode g : groups) {
                for (JsonNode h : g.path("hooks")) {
                    if ("http".equals(h.path("type").asText())) {
                        httpHooks++;
                    } else {
                        commandHooks++;
                    }
                }
            }
        }
        return httpHooks + " http hooks, " + commandHooks + " command hooks";
    }

    // ------------------------------------------------------------------ one turn

    private Turn turn(Variant v, Phase phase, int round) throws Exception {
        long eventsBefore = serverEvents();
        long nullBefore = nullHttpRequests.get();
        ClaudeCodeRun claude = projects.get(v);
        long t0 = System.nanoTime();
        // --debug: Claude Code's own timestamped log of the turn (see Inside), the same for every variant
        ClaudeCodeRun.Result result = claude.prompt(MARKER + " run echo 1 to echo " + TOOL_CALLS + ", one command at a time.",
                "--debug");
        double ms = (System.nanoTime() - t0) / 1e6;
        String label = (phase == Phase.COLD ? "cold " : phase == Phase.WARMUP ? "warm-up " : "round ") + (round + 1);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(v.id() + " " + label + ": claude exited " + result.exitCode() + "\n" + result);
        }
        String sessionId = result.sessionId();
        String check;
        boolean complete;
        if (v.traced()) {
            ReceivedTrace trace = awaitTrace(sessionId, SETTLE_MAX);
            awaitQuiet(SETTLE_MAX);
            check = trace == null ? "no trace within " + SETTLE_MAX.toSeconds() + " s" : checkTrace(trace);
            complete = check.equals("ok");
        } else {
            awaitQuiet(SETTLE_MAX);
            check = "ok";
            complete = true;
        }
        long eventsAfter = serverEvents();
        long nullDelta = nullHttpRequests.get() - nullBefore;
        long nullExpected = v == Variant.NULL_HTTP ? 2 * TOOL_CALLS : 0;
        if (nullDelta != nullExpected) {
            String what = v.id() + ": the null responder received " + nullDelta + " requests, expected " + nullExpected;
            problems.add(what);
            check = check.equals("ok") ? what : check + "; " + what;
        }
        // no server before (a cold turn): whatever the server that the turn started has counted
        long delta = eventsAfter < 0 ? -1 : eventsBefore < 0 ? eventsAfter : eventsAfter - eventsBefore;
        int expectedEvents = v.serverEvents();
        // A cold turn's first events (before the server listens) go to the JVM hook: reported, not a failure.
        if (phase != Phase.COLD && delta != expectedEvents && !(v == Variant.ASYNC_COMMAND && delta < expectedEvents)) {
            String what = v.id() + " " + label + ": the server received " + delta + " events, expected " + expectedEvents;
            problems.add(what);
            check = check.equals("ok") ? what : check + "; " + what;
        }
        if (!complete) {
            problems.add(v.id() + " " + label + " (session " + sessionId + "): " + check);
        }
        progress.printf(Locale.ROOT, "turn-bench: %-9s %-10s %8.0f ms  server events +%d  trace: %s%n", v.id(), label, ms,
                delta, check);
        Thread.sleep(250); // the same short pause after every turn
        Inside inside = Inside.of(claude.configDir().resolve("debug").resolve(sessionId + ".txt"));
        if (inside.toolCalls() != TOOL_CALLS) {
            problems.add(v.id() + " " + label + ": " + inside.toolCalls() + " tool dispatches in Claude Code's debug log, expected "
                    + TOOL_CALLS);
        }
        return new Turn(v, phase, round, ms, sessionId, check, complete, delta, inside);
    }

    private ReceivedTrace awaitTrace(String sessionId, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            for (ReceivedTrace t : infinium.traces()) {
                if (sessionId.equals(t.body().path("environment").path("session_id").asText())) {
                    return t;
                }
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** 12 tool_use steps echo 1..12 with outputs 1..12, after the prompt and before the response. */
    static String checkTrace(ReceivedTrace t) {
        List<String> actions = new ArrayList<>();
        List<JsonNode> tools = new ArrayList<>();
        for (JsonNode s : t.body().path("steps")) {
            actions.add(s.path("action").asText());
            if (s.path("action").asText().equals("tool_use")) {
                tools.add(s);
            }
        }
        if (tools.size() != TOOL_CALLS) {
            return tools.size() + " tool_use steps, expected " + TOOL_CALLS + " (steps " + actions + ")";
        }
        if (!actions.get(0).equals("user_prompt") || !actions.get(actions.size() - 1).equals("assistant_response")) {
            return "steps " + actions;
        }
        for (int i = 0; i < TOOL_CALLS; i++) {
            String in = tools.get(i).path("input_preview").asText();
            String out = tools.get(i).path("output_preview").asText();
            if (!in.equals("echo " + (i + 1)) || !out.equals(String.valueOf(i + 1))) {
                return "tool step " + (i + 1) + " is '" + in + "' -> '" + out + "'";
            }
        }
        return "ok";
    }

    private void checkOneTracePerSession(List<Turn> cold, List<Turn> timed) {
        Map<String, Integer> perSession = new LinkedHashMap<>();
        for (ReceivedTrace t : infinium.traces()) {
            perSession.merge(t.body().path("environment").path("session_id").asText(), 1, Integer::sum);
        }
        for (Turn t : concat(cold, timed)) {
            int n = perSession.getOrDefault(t.sessionId(), 0);
            int expected = t.variant().traced() ? 1 : 0;
            if (n != expected) {
                problems.add(t.variant().id() + " session " + t.sessionId() + ": " + n + " traces, expected " + expected);
            }
        }
        if (infinium.replays() > 0) {
            problems.add(infinium.replays() + " trace requests were idempotent replays (sent twice)");
        }
    }

    private static List<Turn> concat(List<Turn> a, List<Turn> b) {
        List<Turn> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** No hook or flush JVM of this jar running and the outbox empty. */
    private void awaitQuiet(Duration max) throws Exception {
        Path outbox = connector.dirs().state().resolve("outbox");
        String jarPath = jar.toString();
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            boolean empty;
            try (Stream<Path> s = Files.exists(outbox) ? Files.list(outbox) : Stream.empty()) {
                empty = s.noneMatch(p -> p.toString().endsWith(".json"));
            }
            boolean busy = ProcessHandle.allProcesses().anyMatch(p -> {
                String cmd = p.info().commandLine().orElse("");
                return cmd.contains(jarPath) && (cmd.contains(" hook ") || cmd.contains(" flush "));
            });
            if (empty && !busy) {
                return;
            }
            Thread.sleep(20);
        }
        problems.add("background work still busy (outbox not empty or a hook/flush JVM running) after " + max);
    }

    // ------------------------------------------------------------------ the server

    private Path serverDir() {
        return connector.dirs().state().resolve("server"); // state() is $XDG_STATE_HOME/infinium
    }

    private String token() throws IOException {
        Path f = serverDir().resolve("token");
        return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.US_ASCII).trim() : null;
    }

    /** The server's status document, or null when none answers. */
    private JsonNode status() {
        try {
            String token = token();
            if (token == null) {
                return null;
            }
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(3)).GET().build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private long serverEvents() {
        JsonNode s = status();
        return s == null ? -1 : s.path("events_received").asLong();
    }

    private long serverPid() {
        JsonNode s = status();
        return s == null ? -1 : s.path("pid").asLong();
    }

    private void awaitServerUp(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (status() != null) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the SessionStart hook did not start the server within " + max);
    }

    private void startServer() throws Exception {
        Cmd c = launch(work, "server", "start");
        if (c.code != 0) {
            throw new IllegalStateException("server start failed: " + c);
        }
    }

    private void stopServer() throws Exception {
        Cmd c = launch(work, "server", "stop");
        if (c.code != 0) {
            throw new IllegalStateException("server stop failed: " + c);
        }
    }

    private void stopServerQuietly() {
        try {
            if (Files.exists(serverDir().resolve("port"))) {
                launch(work, "server", "stop");
            }
        } catch (Exception ignored) {
            // the script's trap tries again
        }
    }

    // ------------------------------------------------------------------ processes

    record Cmd(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    /** Runs {@code bin/infinium ARGS} in {@code cwd} with the bench user's environment only. */
    private Cmd launch(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "cmd", ".out");
        Path err = Files.createTempFile(work, "cmd", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().clear();
        pb.environment().putAll(launcherEnv);
        Process p = pb.start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("bin/infinium " + String.join(" ", args) + " did not finish in 120 s");
        }
        Cmd c = new Cmd(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return c;
    }

    // ------------------------------------------------------------------ report

    private String markdown(int rounds, int warmup, List<Turn> cold, List<Turn> timed) {
        StringBuilder md = new StringBuilder();
        Map<Variant, double[]> byVariant = new EnumMap<>(Variant.class);
        for (Variant v : Variant.values()) {
            byVariant.put(v, timed.stream().filter(t -> t.variant() == v).mapToDouble(Turn::ms).toArray());
        }
        double bareP50 = Stats.p50(byVariant.get(Variant.BARE));
        double bareMean = Stats.mean(byVariant.get(Variant.BARE));
        md.append(String.format(Locale.ROOT, "- Method: %d timed rounds after %d warm-up round(s); each round runs one `claude -p` "
                + "turn (%d sequential Bash tool calls `echo N`, then a final text) in each of the six projects, the first "
                + "of the round rotating; wall time from spawn to exit of the CLI. Between turns (untimed) the bench waits "
                + "for the turn's trace and for all background work (flush workers, outbox) to finish%n",
                rounds, warmup, TOOL_CALLS));
        md.append("- Per tool call = (T_variant − T_bare) / ").append(TOOL_CALLS)
                .append(": it also carries the turn's 4 boundary events (SessionStart, UserPromptSubmit, Stop, SessionEnd); "
                        + "\"paired\" is the median over rounds of (T_variant − T_bare of the same round) / ")
                .append(TOOL_CALLS).append("\n\n");
        md.append("| Variant | p50 (ms) | mean (ms) | min (ms) | max (ms) | per tool call, p50 (ms) | per tool call, mean (ms) "
                + "| per tool call, paired (ms) | × bare (p50) | traces complete |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Variant v : Variant.values()) {
            double[] ms = byVariant.get(v);
            double p50 = Stats.p50(ms);
            double mean = Stats.mean(ms);
            long complete = timed.stream().filter(t -> t.variant() == v && t.complete()).count();
            String perCall = v == Variant.BARE ? "—" : fmt((p50 - bareP50) / TOOL_CALLS);
            String perCallMean = v == Variant.BARE ? "—" : fmt((mean - bareMean) / TOOL_CALLS);
            String paired = v == Variant.BARE ? "—" : fmt(pairedDelta(timed, v) / TOOL_CALLS);
            String ratio = v == Variant.BARE ? "1.00" : String.format(Locale.ROOT, "%.2f", p50 / bareP50);
            String bold = v == Variant.SERVER ? "**" : "";
            md.append("| ").append(v.description).append(" | ").append(bold).append(fmt(p50)).append(bold).append(" | ")
                    .append(fmt(mean)).append(" | ").append(fmt(Stats.min(ms))).append(" | ").append(fmt(Stats.max(ms)))
                    .append(" | ").append(bold).append(perCall).append(bold).append(" | ").append(perCallMean)
                    .append(" | ").append(paired).append(" | ").append(bold).append(ratio).append(bold).append(" | ")
                    .append(v.traced() ? complete + "/" + ms.length : "n/a (no trace)").append(" |\n");
        }
        double serverP50 = Stats.p50(byVariant.get(Variant.SERVER));
        double perCall = (serverP50 - bareP50) / TOOL_CALLS;
        double ratio = serverP50 / bareP50;
        md.append(String.format(Locale.ROOT, "%nTargets (server mode vs no hooks): ≤ 10 ms per tool call: **%s** (%.1f ms); "
                + "≤ ×1.15 the bare wall time: **%s** (×%.2f).%n", perCall <= 10 ? "met" : "NOT met", perCall,
                ratio <= 1.15 ? "met" : "NOT met", ratio));
        md.append("\nInside the turn, from Claude Code's own `--debug` log (p50 over the timed turns; immune to the CLI's "
                + "start-up and exit): the tool loop's cycle (model call + hooks + tool, between consecutive tool "
                + "dispatches), what that adds per tool call vs no hooks, the http hooks' round trip as Claude Code "
                + "times it, and the command hooks' total time per turn as Claude Code reports it (every command hook "
                + "of the turn but SessionEnd, whose time is not logged: 3 in server mode, 27 in command mode):\n\n");
        md.append("| Variant | tool-loop cycle (ms) | added per tool call (ms) | http hook round trip (ms) | command hooks per turn (ms) |\n"
                + "|---|---:|---:|---:|---:|\n");
        double bareCycle = Stats.p50(timed.stream().filter(t -> t.variant() == Variant.BARE)
                .mapToDouble(t -> t.inside().cycleMs()).toArray());
        for (Variant v : Variant.values()) {
            double cycle = Stats.p50(timed.stream().filter(t -> t.variant() == v).mapToDouble(t -> t.inside().cycleMs()).toArray());
            double[] httpMs = timed.stream().filter(t -> t.variant() == v && !Double.isNaN(t.inside().httpHookMs()))
                    .mapToDouble(t -> t.inside().httpHookMs()).toArray();
            double cmd = Stats.p50(timed.stream().filter(t -> t.variant() == v).mapToDouble(t -> t.inside().commandHooksMs()).toArray());
            String bold = v == Variant.SERVER ? "**" : "";
            md.append("| ").append(v.id()).append(" | ").append(fmt(cycle)).append(" | ").append(bold)
                    .append(v == Variant.BARE ? "—" : fmt(cycle - bareCycle)).append(bold).append(" | ")
                    .append(httpMs.length == 0 ? "—" : fmt(Stats.p50(httpMs))).append(" | ").append(fmt(cmd)).append(" |\n");
        }
        if (!cold.isEmpty()) {
            md.append("\nCold turns (server mode, no server running: the turn's SessionStart hook starts it; "
                    + "not part of the table above):\n\n");
            md.append("| Cold turn | wall (ms) | × bare p50 | events that reached the server | trace |\n|---|---:|---:|---:|---|\n");
            int i = 1;
            for (Turn t : cold) {
                md.append("| ").append(i++).append(" | ").append(fmt(t.ms())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.2f", t.ms() / bareP50)).append(" | ")
                        .append(t.serverEvents() < 0 ? "?" : t.serverEvents() + " of " + Variant.SERVER.serverEvents()).append(" | ")
                        .append(t.traceCheck().equals("ok") ? "complete" : t.traceCheck()).append(" |\n");
            }
        }
        md.append("\nChecks: every hooked turn's trace at the loopback FakeInfiniumApi (one per session, ")
                .append(TOOL_CALLS).append(" tool_use steps `echo 1`..`echo ").append(TOOL_CALLS)
                .append("` with their outputs, between user_prompt and assistant_response); events the server received "
                        + "per turn: server ").append(Variant.SERVER.serverEvents()).append(", forward ")
                .append(Variant.FORWARD.serverEvents()).append(", async-command ").append(Variant.ASYNC_COMMAND.serverEvents())
                .append(" (short counts reported, not failed: `claude -p` kills async hooks still running when it exits), "
                        + "command 0; requests to the null responder: null-http ").append(2 * TOOL_CALLS).append(", others 0; ")
                .append(infinium.traces().size()).append(" traces received in all, ").append(infinium.replays())
                .append(" replays.");
        if (problems.isEmpty()) {
            md.append(" All passed.\n");
        } else {
            md.append("\n\n**Problems:**\n\n");
            problems.forEach(p -> md.append("- ").append(p).append('\n'));
        }
        md.append("\nPer turn (ms, in run order):\n\n");
        for (Variant v : Variant.values()) {
            md.append("- ").append(v.id()).append(": ");
            StringBuilder row = new StringBuilder();
            for (Turn t : timed) {
                if (t.variant() == v) {
                    row.append(row.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", t.ms()));
                }
            }
            md.append(row).append('\n');
        }
        return md.toString();
    }

    private static double pairedDelta(List<Turn> timed, Variant v) {
        Map<Integer, Double> bare = new LinkedHashMap<>();
        Map<Integer, Double> other = new LinkedHashMap<>();
        for (Turn t : timed) {
            if (t.variant() == Variant.BARE) {
                bare.put(t.round(), t.ms());
            } else if (t.variant() == v) {
                other.put(t.round(), t.ms());
            }
        }
        double[] d = other.entrySet().stream().filter(e -> bare.containsKey(e.getKey()))
                .mapToDouble(e -> e.getValue() - bare.get(e.getKey())).toArray();
        return Stats.p50(d);
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }
}
