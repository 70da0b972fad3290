package ai.infinium.connector.hook;

import ai.infinium.connector.config.ConnectorSettings;
import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.config.UserDirs;
import ai.infinium.connector.diag.ErrorLog;
import ai.infinium.connector.spool.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * {@code infinium hook --agent NAME [--server]}: the agent's hot path as a process. Reads the
 * event from stdin, records it through {@link EventRecorder} and, at the end of a turn or
 * session, starts the flush worker detached. With {@code --server} (hooks installed in server
 * mode) it also starts the per-user server when none is running, so a killed or idle-stopped
 * server is back by the next command hook. Never writes to stdout, never throws.
 */
public final class HookCommand {
    /** What {@code infinium hook --help} prints: for a person; an agent never passes --help. */
    /**
     * The JVM flags a hook runs with when it is started as {@code java … Main hook} rather than
     * through bin/infinium (which passes the same): quick start-up, no perf-data file, and JVM
     * warnings on stderr, since by default they go to stdout, which the agent reads.
     */
    public static final java.util.List<String> JVM_FLAGS = java.util.List.of("-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=warning:stderr");

    /** The names come from the registry: a new agent shows up here by its registration alone. */
    public static String help() {
        String names = ai.infinium.connector.agent.Agents.names();
        return "Usage: infinium hook --agent NAME [--event EVENT] [--server] [--via plugin]\n\n"
                + "What the agent's hooks run (`infinium init` installs them): reads one hook event as JSON on stdin,\n"
                + "records it in the session's spool and, at a turn's end, starts the flush in the background.\n"
                + "It prints nothing and always exits 0, whatever it is given, so it can never fail the agent.\n\n"
                + "  --agent NAME   whose event it is: " + names + "\n"
                + "  --event EVENT  the event's name, for agents whose payloads carry none (copilot)\n"
                + "  --server       hand the event to the per-user server, starting it when it is not running\n"
                + "  --via plugin   the event comes from the infinium Claude Code or Codex plugin: recorded only in a\n"
                + "                 project with .infinium/config.json whose .claude/ settings (.codex/ for codex) do\n"
                + "                 not run infinium as well\n";
    }

    /** Larger payloads are cut off; a 30 MB tool output is recorded whole, a runaway stream is not. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

    /** Starts {@code infinium ARGS…} (the flush worker, the server): detached for the hook, in-process in the demo and tests. */
    public interface JvmStarter {
        void start(List<String> args) throws IOException;

        /** The same, keeping what the process prints on stderr in {@code errors} where the starter can. */
        default void start(List<String> args, java.nio.file.Path errors) throws IOException {
            start(args);
        }
    }

    private HookCommand() {}

    public static void run(String[] args, InputStream stdin, Map<String, String> env) {
        // An instance, not a method reference: no lambda bootstrap on every event.
        run(args, stdin, env, DetachedJvm.FLUSH_WORKER, DetachedJvm.SERVER);
    }

    public static void run(String[] args, InputStream stdin, Map<String, String> env, JvmStarter flush) {
        run(args, stdin, env, flush, null);
    }

    /** @param server starts the server when {@code --server} is given and none runs; null never starts one */
    public static void run(String[] args, InputStream stdin, Map<String, String> env, JvmStarter flush,
            JvmStarter server) {
        UserDirs dirs = new UserDirs(env);
        ErrorLog log = new ErrorLog(dirs.state());
        try {
            String agent = agentArg(args);
            byte[] payload = readAll(stdin, log);
            EventRecorder recorder = new EventRecorder(dirs, new ConnectorSettings(env), log);
            if ("plugin".equals(valueOf(args, "--via"))) {
                recorder = recorder.viaPlugin(env);
            }
            EventRecorder.Outcome outcome = recorder.record(agent, eventArg(args), payload);
            List<String> flushArgs = outcome.flushArgs();
            if (flushArgs != null) {
                flush.start(flushArgs);
            }
        } catch (Throwable t) {
            log.error("hook failed: " + t);
        }
        if (server != null && hasFlag(args, "--server")) {
            try {
                startServerIfDown(new ServerFiles(dirs, env), server);
            } catch (Throwable t) {
                log.error("hook: could not start the infinium server: " + t);
            }
        }
    }

    /**
     * The running server holds its lock; a free lock means none runs (a killed one released it).
     * The same test as {@code ServerControl.lockHeld}, written out here because that class (and
     * FileLocks' lambda) would load Jackson and a lambda bootstrap on the hook's path.
     */
    private static void startServerIfDown(ServerFiles files, JvmStarter server) throws IOException {
        PrivateFiles.ensureDir(files.dir());
        try (FileChannel ch = FileChannel.open(files.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock free = ch.tryLock();
            if (free == null) {
                return;
            }
            free.release();
        } catch (java.nio.channels.OverlappingFileLockException heldHere) {
            return; // this very process is the server (tests, the demo)
        }
        // Two hooks racing here start two servers; the second finds the lock taken and exits.
        server.start(List.of("server", "start", "--foreground", "--quiet"), files.startErrors());
    }

    static String agentArg(String[] args) {
        for (int i = 1; i + 1 < args.length; i++) {
            if ("--agent".equals(args[i])) {
                String a = args[i + 1];
                return SessionFileName.isPlain(a) ? a : "unknown-agent";
            }
        }
        return "claude-code";
    }

    /** {@code --event NAME}: for agents whose payloads do not name their event; null when absent or not a plain name. */
    static String eventArg(String[] args) {
        for (int i = 1; i + 1 < args.length; i++) {
            if ("--event".equals(args[i])) {
                String e = args[i + 1];
                return SessionFileName.isPlain(e) ? e : null;
            }
        }
        return null;
    }

    /** The value after {@code name}, or null. */
    private static String valueOf(String[] args, String name) {
        for (int i = 1; i + 1 < args.length; i++) {
            if (name.equals(args[i])) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static boolean hasFlag(String[] args, String flag) {
        for (int i = 1; i < args.length; i++) {
            if (flag.equals(args[i])) {
                return true;
            }
        }
        return false;
    }

    private static byte[] readAll(InputStream in, ErrorLog log) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
        byte[] chunk = new byte[65536];
        int n;
        long total = 0;
        while ((n = in.read(chunk)) > 0) {
            total += n;
            if (total > MAX_PAYLOAD_BYTES) {
                log.error("hook: event larger than " + MAX_PAYLOAD_BYTES + " bytes; the rest was not read");
                break;
            }
            buf.write(chunk, 0, n);
        }
        return buf.toByteArray();
    }
}
