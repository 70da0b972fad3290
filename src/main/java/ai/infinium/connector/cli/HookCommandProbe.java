package ai.infinium.connector.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether an installed hook command would still run: hooks hold the launcher's absolute path,
 * and once the install is moved or deleted every event exits 127 and tracing stops without a word
 * to anyone. The probe runs the very command line the agent runs, through the same shell, with
 * {@code --help} added, which the hook answers with its usage and never records an event for.
 */
final class HookCommandProbe {
    static final long TIMEOUT_SECONDS = 10;
    private final Map<String, String> env;

    HookCommandProbe(Map<String, String> env) {
        this.env = env;
    }

    /** Why the command would not run, in words with the fix; empty when it runs. */
    Optional<String> problem(String commandLine) {
        String program = HookCommandLine.executable(commandLine);
        Path p;
        try {
            p = Path.of(program);
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.of("the hook command starts '" + program + "', which is not a path");
        }
        if (!p.isAbsolute()) {
            return Optional.empty(); // found on the agent's PATH, which may not be ours: nothing to judge by
        }
        if (!Files.exists(p)) {
            return Optional.of("the hooks run " + program + ", which no longer exists (moved or deleted)");
        }
        if (!Files.isExecutable(p) || Files.isDirectory(p)) {
            return Optional.of("the hooks run " + program + ", which is not an executable file");
        }
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return Optional.empty(); // the agents run hooks through their own shell there
        }
        return run(commandLine);
    }

    private Optional<String> run(String commandLine) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", commandLine + " --help");
        pb.environment().clear();
        pb.environment().putAll(env);
        // A launcher whose jar is gone would build it for a person: a check must not start Maven.
        pb.environment().put("INFINIUM_NO_BUILD", "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true);
        Process proc;
        try {
            proc = pb.start();
        } catch (IOException e) {
            return Optional.of("the hooks' command cannot be started: " + e.getMessage());
        }
        try {
            proc.getOutputStream().close();
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    proc.getInputStream().transferTo(buf);
                } catch (IOException ignored) {
                    // the process died: its exit code says enough
                }
            }, "infinium-hook-probe");
            reader.setDaemon(true);
            reader.start();
            if (!proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                proc.descendants().forEach(ProcessHandle::destroyForcibly);
                proc.destroyForcibly();
                return Optional.of("the hooks' command did not answer within " + TIMEOUT_SECONDS + " s: " + commandLine);
            }
            reader.join(TimeUnit.SECONDS.toMillis(2));
            String text = buf.toString(StandardCharsets.UTF_8);
            if (proc.exitValue() == 0 && text.contains("Usage: infinium hook")) {
                return Optional.empty();
            }
            return Optional.of("the hooks' command fails (exit " + proc.exitValue() + firstLine(text) + "): " + commandLine);
        } catch (IOException e) {
            return Optional.of("the hooks' command cannot be checked: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            proc.destroyForcibly();
            return Optional.of("the check of the hooks' command was interrupted");
        }
    }

    private static String firstLine(String text) {
        for (String line : List.of(text.split("\n"))) {
            if (!line.isBlank()) {
                return ": " + line.strip();
            }
        }
        return "";
    }
}
