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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Runs the real Claude Code CLI headless ({@code claude -p}) in a sandbox of directories under one
 * work directory, against a fake Messages API, with a minimal environment built from scratch.
 *
 * <p>One instance is one project: {@link #prompt} starts a new session there, {@link
 * #continueLast} adds a turn to the project's newest session ({@code --continue}) and {@link
 * #resume} to a given one ({@code --resume <id>}). Each call is one CLI process; the session lives
 * on in the config directory's transcript between them.
 */
public final class ClaudeCodeRun {

    /** A run that takes longer has hung (one run takes about a second). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path executable;
    private final Path projectDir;
    private final Path configDir;
    private final Path homeDir;
    private final Path tmpDir;
    private final Path logDir;
    private final String baseUrl;
    private final Map<String, String> extraEnv;
    private final Duration timeout;
    private final AtomicInteger runs = new AtomicInteger();

    private ClaudeCodeRun(Builder b) throws IOException, InterruptedException {
        this.executable = b.executable != null ? b.executable : ClaudeCodeBinary.executable();
        this.projectDir = createReal(b.projectDir != null ? b.projectDir : b.workDir.resolve("project"));
        this.configDir = createReal(b.configDir != null ? b.configDir : b.workDir.resolve("claude-config"));
        this.homeDir = createReal(b.workDir.resolve("home"));
        this.tmpDir = createReal(b.workDir.resolve("tmp"));
        this.logDir = createReal(b.workDir.resolve("runs"));
        this.baseUrl = Objects.requireNonNull(b.baseUrl, "baseUrl");
        this.extraEnv = Map.copyOf(b.env);
        this.timeout = b.timeout;
    }

    /**
     * A runner whose directories live under {@code workDir} (typically a {@code @TempDir}):
     * {@code project/}, {@code claude-config/} (CLAUDE_CONFIG_DIR), {@code home/}, {@code tmp/}
     * (TMPDIR: the CLI's sockets and task files) and {@code runs/} (each run's stdout and stderr).
     */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public static final class Builder {
        private final Path workDir;
        private Path executable;
        private Path projectDir;
        private Path configDir;
        private String baseUrl;
        private final Map<String, String> env = new LinkedHashMap<>();
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** The Messages API the CLI talks to, e.g. {@link FakeAnthropicApi#baseUrl()}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Defaults to {@link ClaudeCodeBinary#executable()}. */
        public Builder executable(Path executable) {
            this.executable = executable;
            return this;
        }

        public Builder projectDir(Path projectDir) {
            this.projectDir = projectDir;
            return this;
        }

        public Builder configDir(Path configDir) {
            this.configDir = configDir;
            return this;
        }

        /** An extra environment variable for the CLI and so for its hooks; may override a default. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Creates the directories and, if needed, installs the CLI. */
        public ClaudeCodeRun build() throws IOException, InterruptedException {
            return new ClaudeCodeRun(this);
        }
    }

    /** The outcome of one CLI process. {@code stdout} is stream-json: one JSON event per line. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

        /** The stream-json events, in order; lines that are not JSON are skipped. */
        public List<JsonNode> events() {
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

        /**
         * The session id, from the {@code system/init} event. Not from the first event: with
         * {@code --continue} or {@code --resume}, the SessionStart hook events printed before init
         * carry a throwaway id, not the resumed session's (the hook's own stdin has the right one).
         */
        public String sessionId() {
            return events().stream()
                    .filter(e -> "system".equals(e.path("type").asText()) && "init".equals(e.path("subtype").asText()))
                    .map(e -> e.path("session_id").asText(null))
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no system/init event with a session_id\n" + this));
        }

        /** The final {@code result} events (a turn woken by a background task adds a second one). */
        public List<JsonNode> results() {
            return events().stream().filter(e -> "result".equals(e.path("type").asText())).toList();
        }

        @Override
        public String toString() {
            return "claude exited " + exitCode + " after " + elapsed.toMillis() + " ms: " + String.join(" ", command)
                    + "\n--- stderr ---\n" + stderr + "\n--- stdout ---\n" + stdout;
        }
    }

    public Path projectDir() {
        return projectDir;
    }

    public Path configDir() {
        return configDir;
    }

    /** Starts a new session with {@code prompt}. */
    public Result prompt(String prompt, String... extraArgs) throws IOException, InterruptedException {
        return run(prompt, List.of(), extraArgs);
    }

    /** Adds a turn to the newest session of this project ({@code --continue}). */
    public Result continueLast(String prompt, String... extraArgs) throws IOException, InterruptedException {
        return run(prompt, List.of("--continue"), extraArgs);
    }

    /** Adds a turn to session {@code sessionId} ({@code --resume <id>}); the id stays the same. */
    public Result resume(String sessionId, String prompt, String... extraArgs) throws IOException, InterruptedException {
        return run(prompt, List.of("--resume", sessionId), extraArgs);
    }

    /**
     * The session's transcript, found by name under {@code <config>/projects/}: the CLI names the
     * folder after the project path with every non-alphanumeric character replaced, and searching is
     * simpler than repeating that rule.
     */
    public Optional<Path> transcript(String sessionId) throws IOException {
        Path projects = configDir.resolve("projects");
        if (!Files.isDirectory(projects)) {
            return Optional.empty();
        }
        String name = sessionId + ".jsonl";
        try (Stream<Path> files = Files.walk(projects, 2)) {
            return files.filter(p -> p.getFileName().toString().equals(name)).findFirst();
        }
    }

    private Result run(String prompt, List<String> sessionArgs, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-p", prompt,
                "--dangerously-skip-permissions", "--output-format", "stream-json", "--verbose"));
        command.addAll(sessionArgs);
        command.addAll(List.of(extraArgs));

        int n = runs.incrementAndGet();
        Path stdout = logDir.resolve(String.format("%02d-stdout.jsonl", n));
        Path stderr = logDir.resolve(String.format("%02d-stderr.txt", n));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectDir.toFile())
                // Files, not pipes: nothing can block on a full pipe, and a process the run leaves
                // behind cannot hold our read open.
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                // -p appends piped stdin to the prompt and waits for its end; give it none.
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment());

        long started = System.nanoTime();
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new AssertionError("claude did not exit within " + timeout + ": " + String.join(" ", command)
                        + "\n--- stderr ---\n" + read(stderr) + "\n--- stdout ---\n" + read(stdout));
            }
        } finally {
            kill(process); // only does something if the wait was interrupted
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return new Result(List.copyOf(command), process.exitValue(), read(stdout), read(stderr), elapsed);
    }

    /**
     * The CLI's whole environment. Nothing is inherited but PATH, so a developer's own
     * ANTHROPIC_* or CLAUDE_* settings, credentials or config dir cannot leak into a run.
     */
    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", homeDir.toString());
        env.put("TMPDIR", tmpDir.toString());
        env.put("LANG", "C.UTF-8");
        env.put("CLAUDE_CONFIG_DIR", configDir.toString());
        env.put("ANTHROPIC_BASE_URL", baseUrl);
        // Any non-empty key passes the CLI's auth check; the fake does not look at it.
        env.put("ANTHROPIC_API_KEY", "sk-ant-fake-e2e-key");
        // --dangerously-skip-permissions refuses to run as root unless the CLI is told it is sandboxed.
        env.put("IS_SANDBOX", "1");
        // Without this the CLI also calls api.anthropic.com (event logging, MCP registry) whatever
        // ANTHROPIC_BASE_URL says; it covers telemetry, error reporting and update checks.
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.putAll(extraEnv);
        return env;
    }

    private static void kill(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path createReal(Path dir) throws IOException {
        // Real path: the CLI resolves symlinks in its cwd, and hook payloads carry the resolved one.
        return Files.createDirectories(dir).toRealPath();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
