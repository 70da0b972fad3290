package ai.infinium.connector.cli;

import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.hook.DetachedJvm;
import ai.infinium.connector.serve.ServerControl;
import ai.infinium.connector.serve.ServerProcess;
import ai.infinium.connector.serve.ServerStartErrors;
import ai.infinium.connector.spool.PrivateFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code infinium server start|stop|status} (and {@code infinium start}, the seed's name): the
 * per-user loopback server that Claude Code's http hooks post to.
 */
final class ServerCommand implements Command {
    static final String IDLE_VARIABLE = "INFINIUM_SERVER_IDLE_TIMEOUT";
    static final long DEFAULT_IDLE_SECONDS = 3600;
    static final Duration START_WAIT = Duration.ofSeconds(15);
    static final Duration STOP_WAIT = Duration.ofSeconds(40);
    static final Options START_OPTIONS = Options.of(
            Option.flag("--foreground", "run in this terminal until stopped (Ctrl-C stops it cleanly)"),
            Option.value("--port", "N", "listen on 127.0.0.1:N (default: " + ServerFiles.PORT_VARIABLE
                    + ", else 17000 + uid % 10000).", "Hooks use the port `init` saw: change both together"),
            Option.value("--idle-timeout", "S", "stop after S seconds without events (default " + IDLE_VARIABLE
                    + ", else " + DEFAULT_IDLE_SECONDS + ")"),
            Option.flag("--quiet", "print nothing (how the hooks start it)"));
    static final Options STATUS_OPTIONS = Options.of(Option.flag("--json", "status as JSON"));
    /** One help section for both; {@code infinium start} shows the same help, so it completes the same. */
    static final Options ALL_OPTIONS = START_OPTIONS.and(STATUS_OPTIONS);

    /** Starts the detached server process, its standard error into {@code errors}. */
    interface Spawner {
        Process spawn(List<String> args, Path errors) throws IOException;
    }

    private final String name;
    private final Spawner spawner;

    ServerCommand() {
        this("server", DetachedJvm.SERVER::startWithErrorsTo);
    }

    /** {@code infinium start}, the seed's name for {@code server start}. */
    static ServerCommand startAlias() {
        return new ServerCommand("start", DetachedJvm.SERVER::startWithErrorsTo);
    }

    ServerCommand(String name, Spawner spawner) {
        this.name = name;
        this.spawner = spawner;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return name.equals("start") ? "Same as `server start`" : "Start, stop or inspect the per-user hook server";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium server start [--foreground] [--port N] [--idle-timeout SECONDS] [--quiet]",
                "       infinium server stop",
                "       infinium server status [--json]",
                "       infinium start ...      (same as `infinium server start ...`)",
                "",
                "Server mode: one loopback HTTP server per user that Claude Code's \"http\" hooks post events",
                "to, so a hook costs the agent about a millisecond instead of starting a JVM. It records",
                "events exactly as the command hook does and flushes each turn in-process. You rarely need",
                "these commands: hooks installed by `infinium init` (server mode is the default) start the",
                "server when a session starts, and it stops by itself after the idle time.",
                "",
                "  start      start it in the background (prints the pid and URL); a running one is reported",
                "  stop       stop it; traces that are due are sent first (a few seconds at most)",
                "  status     running or not, pid, URL, events received, sessions open, uptime",
                "",
                ALL_OPTIONS.help(),
                "",
                "Exit codes: start/stop 0 when done; status 0 when running, 1 when not; 2 usage error.");
    }

    @Override
    public Options declaredOptions() {
        return ALL_OPTIONS;
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        List<String> rest = raw;
        String sub = "start";
        if (name.equals("server")) {
            if (raw.isEmpty()) {
                throw new UsageException("say what to do: start, stop or status");
            }
            sub = raw.get(0);
            rest = raw.subList(1, raw.size());
        }
        ServerFiles files = new ServerFiles(io.ctx.dirs(), io.ctx.env());
        ServerControl control = new ServerControl(files);
        switch (sub) {
            case "start":
                return start(START_OPTIONS.parse(rest), io, files, control);
            case "stop":
                Options.NONE.parse(rest);
                return stop(io, control);
            case "status":
                return status(STATUS_OPTIONS.parse(rest), io, control);
            default:
                throw new UsageException("unknown server command '" + sub + "' (start, stop or status)");
        }
    }

    private int start(Args args, Io io, ServerFiles files, ServerControl control) throws Exception {
        int port = args.value("--port") != null ? portArg(args.value("--port")) : files.port();
        long idle = args.value("--idle-timeout") != null ? args.intValue("--idle-timeout", 0) : idleFromEnv(io);
        if (idle < 1) {
            throw new UsageException("--idle-timeout must be at least 1 second");
        }
        boolean quiet = args.has("--quiet");
        Optional<ServerControl.Info> running = control.running();
        if (running.isPresent()) {
            if (!quiet) {
                io.out.println("infinium server already running: pid " + running.get().pid() + ", "
                        + running.get().url() + " (since " + running.get().startedAt() + ")");
            }
            return OK;
        }
        if (args.has("--foreground")) {
            ServerProcess.Result r = ServerProcess.run(io.ctx, files, port, Duration.ofSeconds(idle), server -> {
                if (!quiet) {
                    io.out.println("infinium server listening on http://127.0.0.1:" + server.port() + " (pid "
                            + ProcessHandle.current().pid() + "); stops after " + idle + " s without events. "
                            + "Ctrl-C stops it.");
                }
            });
            if (r instanceof ServerProcess.AlreadyRunning a && !quiet) {
                io.out.println("infinium server already running" + a.info().map(i -> ": pid " + i.pid() + ", " + i.url()).orElse(""));
            }
            return OK;
        }
        List<String> child = new ArrayList<>(List.of("server", "start", "--foreground", "--quiet",
                "--port", String.valueOf(port), "--idle-timeout", String.valueOf(idle)));
        PrivateFiles.ensureDir(files.dir());
        Process server = spawner.spawn(child, files.startErrors());
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ServerControl.Info> up = control.running();
            if (up.isPresent() && up.get().port() == port && control.status(up.get(), Duration.ofSeconds(2)).isPresent()) {
                if (!quiet) {
                    io.out.println("infinium server started: pid " + up.get().pid() + ", " + up.get().url());
                }
                return OK;
            }
            // Ended with no server holding the lock: it failed (one that lost a race to another
            // server exits too, but then that one holds the lock and is awaited).
            if (!server.isAlive() && !control.lockHeld()) {
                io.err.println("infinium server: it stopped as it started (exit " + server.exitValue() + "): "
                        + ServerStartErrors.read(files).map(ServerStartErrors.Last::line).orElse("it said nothing; the log may: " + io.ctx.log().file()));
                return FAILED;
            }
            Thread.sleep(50);
        }
        io.err.println("infinium server: it did not answer within " + START_WAIT.toSeconds() + " s"
                + (server.isAlive() ? " (pid " + server.pid() + " is still running: a very busy machine, or stuck)" : "")
                + ". The reason is in " + io.ctx.log().file() + ServerStartErrors.read(files).map(e -> " or in what it printed: " + e.line()).orElse("")
                + "; `infinium server start --foreground` shows it directly.");
        return FAILED;
    }

    private int stop(Io io, ServerControl control) throws Exception {
        Optional<ServerControl.Info> running = control.running();
        if (running.isEmpty()) {
            if (!control.lockHeld() && control.stale().isPresent()) {
                control.removeStaleFiles();
                io.out.println("infinium server is not running (removed the files of one that was killed)");
            } else {
                io.out.println("infinium server is not running");
            }
            return OK;
        }
        ServerControl.Info info = running.get();
        try {
            control.requestStop(info, Duration.ofSeconds(3));
        } catch (IOException e) {
            // Not answering (hung, or its token file is gone): ask the process itself to end.
            ProcessHandle.of(info.pid()).ifPresent(ProcessHandle::destroy);
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (control.lockHeld()) {
            if (System.nanoTime() > deadline) {
                ProcessHandle.of(info.pid()).ifPresent(ProcessHandle::destroyForcibly);
                io.err.println("infinium server: pid " + info.pid() + " did not stop within " + STOP_WAIT.toSeconds()
                        + " s and was killed; its unsent traces stay in the outbox");
                return FAILED;
            }
            Thread.sleep(50);
        }
        io.out.println("infinium server stopped (pid " + info.pid() + ")");
        return OK;
    }

    private int status(Args args, Io io, ServerControl control) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Optional<ServerControl.Info> running = control.running();
        ObjectNode n;
        if (running.isPresent()) {
            Optional<JsonNode> s = control.status(running.get(), Duration.ofSeconds(3));
            if (s.isPresent() && s.get().isObject()) {
                n = (ObjectNode) s.get();
            } else {
                n = json.createObjectNode();
                n.put("running", true);
                n.put("pid", running.get().pid());
                n.put("port", running.get().port());
                n.put("url", running.get().url());
                n.put("error", "the server holds its lock but does not answer on " + running.get().url());
            }
        } else {
            n = json.createObjectNode();
            n.put("running", false);
            Optional<ServerControl.Info> stale = control.stale();
            if (stale.isPresent()) {
                n.put("stale_pid", stale.get().pid());
                n.put("note", "the last server (pid " + stale.get().pid() + ") did not stop cleanly; the next start "
                        + "replaces its files");
            }
            addLastStartError(n, control.files());
        }
        boolean up = n.path("running").asBoolean(false);
        if (args.has("--json")) {
            io.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(n));
            return up ? OK : FAILED;
        }
        for (String line : describe(n)) {
            io.out.println(line);
        }
        return up ? OK : FAILED;
    }

    /** For a server that is not running: what the last one started in the background printed on stderr. */
    static void addLastStartError(ObjectNode n, ServerFiles files) {
        ServerStartErrors.read(files).ifPresent(e -> {
            n.put("last_start_error", e.line());
            n.put("last_start_error_at", e.at().toString());
        });
    }

    /** Status lines for people; also used by {@code infinium status}. */
    static List<String> describe(JsonNode n) {
        List<String> lines = new ArrayList<>();
        if (!n.path("running").asBoolean(false)) {
            lines.add("infinium server: not running" + (n.has("note") ? " (" + n.path("note").asText() + ")" : ""));
            ServerStartErrors.quoted(n).ifPresent(q -> lines.add("  " + q));
            return lines;
        }
        if (n.has("error")) {
            lines.add("infinium server: pid " + n.path("pid").asLong() + " - " + n.path("error").asText());
            return lines;
        }
        lines.add("infinium server: running, pid " + n.path("pid").asLong() + ", " + n.path("url").asText()
                + ", up " + n.path("uptime_seconds").asLong() + " s");
        lines.add("  events received " + n.path("events_received").asLong() + ", sessions open "
                + n.path("sessions_open").asLong() + ", traces queued " + n.path("traces_queued").asLong()
                + ", requests refused " + n.path("requests_rejected").asLong());
        lines.add("  idle " + n.path("idle_seconds").asLong() + " s of " + n.path("idle_timeout_seconds").asLong()
                + " s before it stops by itself");
        return lines;
    }

    private static long idleFromEnv(Io io) throws UsageException {
        String v = io.ctx.env().get(IDLE_VARIABLE);
        if (v == null || v.isBlank()) {
            return DEFAULT_IDLE_SECONDS;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(IDLE_VARIABLE + "=" + v + " is not a number of seconds");
        }
    }

    private static int portArg(String v) throws UsageException {
        try {
            int p = Integer.parseInt(v);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new UsageException("--port takes a port number (1-65535), not '" + v + "'");
    }
}
