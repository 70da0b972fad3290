package ai.infinium.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A plugin's hook script run by sh as its agent runs it (an event on stdin, only the environment
 * given), and stand-in launchers that write down how they were called: what the Claude Code and
 * Codex plugin script tests share.
 */
public final class HookScriptRun {
    /** What one run of the script did. */
    public record Run(int code, String out, String err) {}

    private final Path tmp;

    /** @param tmp the test's folder: the runs' output and the launchers' record go there */
    public HookScriptRun(Path tmp) {
        this.tmp = tmp;
    }

    /** Runs {@code script} with exactly {@code env}, {@code event} on its stdin, and waits (at most 30 s). */
    public Run run(Path script, Map<String, String> env, String event) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", script.toString());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(event.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the hook script exits").isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    /** A stand-in launcher at {@code at} that writes its arguments, then its stdin, to {@link #called()}. */
    public Path fakeLauncher(Path at) throws IOException {
        Files.createDirectories(at.getParent());
        Files.writeString(at, "#!/bin/sh\nprintf '%s\\n' \"$*\" > '" + called() + "'\ncat >> '" + called() + "'\n");
        Files.setPosixFilePermissions(at, PosixFilePermissions.fromString("rwxr-xr-x"));
        return at;
    }

    /** Where the last stand-in launcher that ran wrote down its call; absent when none ran. */
    public Path called() {
        return tmp.resolve("called");
    }

    /** The arguments line, then the stdin, of the last stand-in launcher that ran. */
    public List<String> calledLines() throws IOException {
        return Files.readAllLines(called());
    }
}
