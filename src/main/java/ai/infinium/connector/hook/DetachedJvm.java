package ai.infinium.connector.hook;

import ai.infinium.connector.spool.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the flush worker (or the server) so that the agent never waits for it: no inherited stdio (an agent
 * may wait until every holder of the hook's pipes has closed them) and, where setsid exists,
 * a session of its own so a signal to the hook's process group at agent exit does not reach it.
 */
public final class DetachedJvm implements HookCommand.JvmStarter {
    /**
     * C1 only: a flush is one short burst, C2's compile threads cost more CPU than they save
     * (measured in BENCHMARKS.md). A small fixed young generation and a heap cap keep the
     * worker's footprint near its live data (the JVM would otherwise size the heap from the
     * machine's RAM and touch a 100+ MB eden before its first collection), while 512 MB still
     * holds the largest event the hook records (64 MB) as a tree. bench/flush-bench.sh runs
     * the flush with these same flags.
     */
    static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmn24m",
            "-Xmx512m", "-XX:-UsePerfData");
    public static final DetachedJvm FLUSH_WORKER = new DetachedJvm(JVM_FLAGS);
    /**
     * The server lives for hours: full JIT. It runs the same flush in-process, so it gets the
     * worker's heap cap (a 64 MB event parsed as a tree must fit).
     */
    public static final DetachedJvm SERVER = new DetachedJvm(List.of("-XX:+UseSerialGC", "-Xmx512m"), true);

    private final List<String> jvmFlags;
    private final boolean restoreSignals;

    private DetachedJvm(List<String> jvmFlags) {
        this(jvmFlags, false);
    }

    private DetachedJvm(List<String> jvmFlags, boolean restoreSignals) {
        this.jvmFlags = jvmFlags;
        this.restoreSignals = restoreSignals;
    }

    @Override
    public void start(List<String> args) throws IOException {
        launch(args, ProcessBuilder.Redirect.DISCARD);
    }

    @Override
    public void start(List<String> args, Path errors) throws IOException {
        startWithErrorsTo(args, errors);
    }

    /**
     * Like {@link #start}, with the process's standard error written to {@code errors} (replaced), so
     * that whoever waits for it can say why it ended: a JVM that cannot start says so only there.
     */
    public Process startWithErrorsTo(List<String> args, Path errors) throws IOException {
        try (var created = PrivateFiles.openOwnerOnly(errors, java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS))) {
            // created owner-only and emptied; the child appends to it
        }
        return launch(args, ProcessBuilder.Redirect.appendTo(errors.toFile()));
    }

    private Process launch(List<String> args, ProcessBuilder.Redirect errors) throws IOException {
        List<String> cmd = new ArrayList<>();
        String setsid = findSetsid();
        if (setsid != null) {
            cmd.add(setsid);
        }
        // The hook runs with HUP/INT/TERM ignored (the launcher's shield against the agent's exit
        // signals) and a child inherits that; a JVM never handles a signal ignored at its start,
        // so a server started from here could not be stopped with SIGTERM. GNU env resets them.
        if (restoreSignals && envResetsSignals()) {
            cmd.addAll(List.of("/usr/bin/env", "--default-signal=HUP,INT,TERM"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("ai.infinium.connector.Main");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File(isWindows() ? "NUL" : "/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(errors);
        return pb.start();
    }

    /** Whether /usr/bin/env is GNU coreutils 8.31+ (busybox and BSD env lack the option). */
    private static boolean envResetsSignals() {
        if (!Files.isExecutable(Path.of("/usr/bin/env"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder("/usr/bin/env", "--default-signal=TERM", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String findSetsid() {
        for (String p : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        return null;
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
