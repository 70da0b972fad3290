package ai.infinium.connector.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code infinium hook} as a real process, as the agent does, with the test classpath. */
public final class HookProcess {
    public record Outcome(int exitCode, byte[] stdout, byte[] stderr) {}

    private HookProcess() {}

    public static Process start(Map<String, String> env, String agent) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(ai.infinium.connector.hook.HookCommand.JVM_FLAGS); // as `init` installs it without the launcher
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "ai.infinium.connector.Main", "hook", "--agent",
                agent));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    public static Outcome run(Map<String, String> env, String agent, byte[] stdin) throws Exception {
        return finish(start(env, agent), stdin);
    }

    /** Runs {@code launcher hook ARGS…} as the agent does (through the shell script in bin/). */
    public static Outcome runLauncher(Path launcher, Map<String, String> env, byte[] stdin, String... hookArgs)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "hook"));
        cmd.addAll(List.of(hookArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        return finish(pb.start(), stdin);
    }

    private static Outcome finish(Process p, byte[] stdin) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread o = pump(p.getInputStream(), out);
        Thread e = pump(p.getErrorStream(), err);
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException broken) {
            // the hook may stop reading early (oversized input); its exit code still counts
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hook did not exit within 60 s");
        }
        o.join(5000);
        e.join(5000);
        return new Outcome(p.exitValue(), out.toByteArray(), err.toByteArray());
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(sink);
            } catch (IOException ignored) {
                // process gone
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
