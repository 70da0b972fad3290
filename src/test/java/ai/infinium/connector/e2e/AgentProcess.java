package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one agent CLI's processes headless in a sandbox of directories under one work directory,
 * with an environment built from scratch: the part {@link ClaudeCodeRun} and {@link CodexRun}
 * share. They add the agent's command line, variables and config directory.
 */
final class AgentProcess {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String cli;
    private final Path projectDir;
    private final Path homeDir;
    private final Path logDir;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final AtomicInteger runs = new AtomicInteger();

    /**
     * Creates the sandbox under the builder's work directory: the project (the cwd), {@code home/}
     * (HOME), {@code tmp/} (TMPDIR, e.g. for Claude Code's sockets and task files) and {@code runs/}
     * (each run's stdout and stderr).
     *
     * @param cli            the CLI's name in messages, e.g. {@code claude}
     * @param agentVariables the agent's own variables; the builder's {@code env} may override them
     */
    AgentProcess(String cli, AgentRunBuilder<?> settings, Map<String, String> agentVariables) throws IOException {
        this.cli = cli;
        this.projectDir = settings.createProjectDir();
        this.homeDir = settings.createDir(null, "home");
        this.logDir = settings.createDir(null, "runs");
        this.timeout = settings.timeout();
        Path tmpDir = settings.createDir(null, "tmp");
        // Nothing is inherited but PATH (node and the shell tools), so a developer's own settings,
        // credentials or config directories cannot leak into a run.
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", homeDir.toString());
        env.put("TMPDIR", tmpDir.toString());
        env.put("LANG", "C.UTF-8");
        env.putAll(agentVariables);
        env.putAll(settings.env());
        this.environment = Map.copyOf(env);
    }

    Path projectDir() {
        return projectDir;
    }

    Path homeDir() {
        return homeDir;
    }

    /**
     * Runs {@code command} in the project and waits for it, at most the timeout: past that the
     * process tree is killed and the run fails with what it had printed.
     */
    Output run(List<String> command) throws IOException, InterruptedException {
        // Headless, both CLIs append piped stdin to the prompt and read it to its end; give them none.
        return run(command, Path.of("/dev/null"));
    }

    /** {@link #run(List)} with {@code stdin} as the command's standard input. */
    Output run(List<String> command, Path stdin) throws IOException, InterruptedException {
        int n = runs.incrementAndGet();
        Path stdout = logDir.resolve(String.format("%02d-stdout.jsonl", n));
        Path stderr = logDir.resolve(String.format("%02d-stderr.txt", n));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectDir.toFile())
                // Files, not pipes: nothing can block on a full pipe, and a process the run leaves
                // behind cannot hold our read open.
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(stdin.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);

        long started = System.nanoTime();
        Process process = builder.start();
        if (!ProcessTree.awaitExit(process, timeout)) {
            throw new AssertionError(cli + " did not exit within " + timeout + ": " + String.join(" ", command)
                    + "\n--- stderr ---\n" + read(stderr) + "\n--- stdout ---\n" + read(stdout));
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new Output(cli, List.copyOf(command), process.exitValue(), read(stdout), read(stderr), elapsed);
    }

    /**
     * Starts {@code command} in the project in a terminal of its own ({@link TmuxTerminal}), with the
     * same environment as {@link #run}: an interactive session, which the caller drives and closes.
     * The terminal's socket is in {@code runs/}.
     */
    TmuxTerminal terminal(List<String> command, int columns, int rows) throws IOException, InterruptedException {
        int n = runs.incrementAndGet();
        return TmuxTerminal.start(logDir.resolve(String.format("%02d-tmux.sock", n)), logDir, projectDir, environment,
                command, columns, rows);
    }

    /**
     * What the runners' results share: each wraps one process's {@link Output} and adds the agent's
     * own readings of its events.
     */
    interface Outcome {

        Output output();

        default int exitCode() {
            return output().exitCode();
        }

        /** The JSON events, in order; lines that are not JSON are skipped. */
        default List<JsonNode> events() {
            return output().events();
        }

        /** The events of one type, e.g. {@code result} or {@code turn.failed}. */
        default List<JsonNode> events(String type) {
            return output().events(type);
        }
    }

    /** The outcome of one CLI process; {@code stdout} has one JSON event per line. */
    record Output(String cli, List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

        /** The JSON events, in order; lines that are not JSON are skipped. */
        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            for (String line : stdout.lines().toList()) {
                if (line.startsWith("{")) {
                    try {
                        events.add(JSON.readTree(line));
                    } catch (IOException e) {
                        // A partial last line of a killed run; nothing to assert on.
                    }
                }
            }
            return events;
        }

        /** The events whose {@code type} is {@code type}. */
        List<JsonNode> events(String type) {
            return events().stream().filter(e -> type.equals(e.path("type").asText())).toList();
        }

        @Override
        public String toString() {
            return cli + " exited " + exitCode + " after " + elapsed.toMillis() + " ms: " + String.join(" ", command)
                    + "\n--- stderr ---\n" + stderr + "\n--- stdout ---\n" + stdout;
        }
    }

    /** Decoded leniently: a CLI's output is not guaranteed to be valid UTF-8. */
    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
