package ai.infinium.connector.hook;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the flush worker so that the agent never waits for it: no inherited stdio (an agent
 * may wait until every holder of the hook's pipes has closed them) and, where setsid exists,
 * a session of its own so a signal to the hook's process group at agent exit does not reach it.
 */
public final class DetachedFlush implements HookCommand.FlushStarter {
    static final DetachedFlush INSTANCE = new DetachedFlush();
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

    private DetachedFlush() {}

    @Override
    public void start(List<String> flushArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        String setsid = findSetsid();
        if (setsid != null) {
            cmd.add(setsid);
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", isWindows() ? "java.exe" : "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("ai.infinium.connector.Main");
        cmd.addAll(flushArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File(isWindows() ? "NUL" : "/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.start();
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
