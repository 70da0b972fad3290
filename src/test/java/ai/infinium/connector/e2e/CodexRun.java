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
 * Runs the real Codex CLI headless ({@code codex exec --json}) in a sandbox of directories under
 * one work directory, against a fake Responses API, with a minimal environment built from scratch.
 *
 * <p>One instance is one project: {@link #exec} starts a new session (a Codex "thread") there,
 * {@link #resumeLast} adds a turn to the project's newest session ({@code exec resume --last},
 * which only considers sessions whose cwd is the project) and {@link #resume} to a given one. Each
 * call is one CLI process; the session lives on in its rollout file under {@code
 * $CODEX_HOME/sessions/} between them, and the thread id stays the same.
 *
 * <p>{@link Builder#build()} writes {@code $CODEX_HOME/config.toml}; a test (or the connector's
 * installer under test) may edit it afterwards: see {@link #configToml()}.
 */
public final class CodexRun {

    /** A run that takes longer has hung (one run takes about a second). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** The model name sent to the fake; Codex warns once that it has no metadata for it and goes on. */
    public static final String MODEL = "gpt-fake";

    /** The provider id in config.toml. */
    public static final String PROVIDER = "fake";

    /** The variable the provider's {@code env_key} names; Codex sends its value as the bearer token. */
    static final String API_KEY_ENV = "INFINIUM_FAKE_OPENAI_API_KEY";

    /** Any non-empty key will do; the fake does not check it. Hooks see it in their environment too. */
    static final String API_KEY = "sk-fake-e2e-key";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path executable;
    private final Path projectDir;
    private final Path codexHome;
    private final Path homeDir;
    private final Path tmpDir;
    private final Path logDir;
    private final Map<String, String> extraEnv;
    private final Duration timeout;
    private final boolean bypassHookTrust;
    private final AtomicInteger runs = new AtomicInteger();

    private CodexRun(Builder b) throws IOException, InterruptedException {
        this.executable = b.executable != null ? b.executable : CodexBinary.executable();
        this.projectDir = createReal(b.projectDir != null ? b.projectDir : b.workDir.resolve("project"));
        this.codexHome = createReal(b.codexHome != null ? b.codexHome : b.workDir.resolve("codex-home"));
        this.homeDir = createReal(b.workDir.resolve("home"));
        this.tmpDir = createReal(b.workDir.resolve("tmp"));
        this.logDir = createReal(b.workDir.resolve("runs"));
        this.extraEnv = Map.copyOf(b.env);
        this.timeout = b.timeout;
        this.bypassHookTrust = b.bypassHookTrust;
        CodexConfig config = new CodexConfig(Objects.requireNonNull(b.baseUrl, "baseUrl"), MODEL, PROVIDER, API_KEY_ENV,
                b.features, b.trustProject ? List.of(projectDir) : List.of());
        Files.writeString(configToml(), config.render(), StandardCharsets.UTF_8);
    }

    /**
     * A runner whose directories live under {@code workDir} (typically a {@code @TempDir}):
     * {@code project/} (the cwd), {@code codex-home/} (CODEX_HOME: config.toml, sessions/, hooks.json),
     * {@code home/} (HOME), {@code tmp/} (TMPDIR) and {@code runs/} (each run's stdout and stderr).
     */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public static final class Builder {
        private final Path workDir;
        private Path executable;
        private Path projectDir;
        private Path codexHome;
        private String baseUrl;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, Boolean> features = new LinkedHashMap<>();
        private boolean trustProject;
        private boolean bypassHookTrust = true;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** The provider's base URL, e.g. {@link FakeResponsesApi#baseUrl()} ({@code http://127.0.0.1:PORT/v1}). */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Defaults to {@link CodexBinary#executable()}. */
        public Builder executable(Path executable) {
            this.executable = executable;
            return this;
        }

        public Builder projectDir(Path projectDir) {
            this.projectDir = projectDir;
            return this;
        }

        public Builder codexHome(Path codexHome) {
            this.codexHome = codexHome;
            return this;
        }

        /** An extra environment variable for the CLI and so for its hooks; may override a default. */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /**
         * Sets {@code [features] <name>} in config.toml. Codex 0.169.0 has {@code hooks} on by
         * default; setting it says so explicitly, as the connector's installer does.
         */
        public Builder feature(String name, boolean enabled) {
            features.put(name, enabled);
            return this;
        }

        /**
         * Marks the project trusted in config.toml ({@code [projects."<dir>"] trust_level =
         * "trusted"}). Without it Codex ignores the project's {@code .codex/} (hooks.json included)
         * and says so on stderr.
         */
        public Builder trustProject() {
            this.trustProject = true;
            return this;
        }

        /**
         * Whether to pass {@code --dangerously-bypass-hook-trust} (default yes). Without it Codex runs
         * only hooks a user has reviewed in the TUI; unreviewed ones are skipped silently.
         */
        public Builder bypassHookTrust(boolean bypass) {
            this.bypassHookTrust = bypass;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Creates the directories, writes config.toml and, if needed, installs the CLI. */
        public CodexRun build() throws IOException, InterruptedException {
            return new CodexRun(this);
        }
    }

    /** The outcome of one CLI process. {@code stdout} is {@code exec --json}: one JSON event per line. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

        /** The JSON events, in order; lines that are not JSON are skipped. */
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

        /** The events of one type, e.g. {@code turn.completed} or {@code turn.failed}. */
        public List<JsonNode> events(String type) {
            return events().stream().filter(e -> type.equals(e.path("type").asText())).toList();
        }

        /** The thread (session) id from {@code thread.started}; a resumed run reports the resumed id. */
        public String threadId() {
            return events("thread.started").stream()
                    .map(e -> e.path("thread_id").asText(null))
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no thread.started event with a thread_id\n" + this));
        }

        /**
         * The finished items of one type ({@code item.completed}): {@code agent_message},
         * {@code command_execution} (with {@code command}, {@code aggregated_output}, {@code
         * exit_code}, {@code status}), {@code error} (Codex's warnings, e.g. about the hook-trust
         * bypass or the fake model's missing metadata, also come as error items).
         */
        public List<JsonNode> completedItems(String itemType) {
            return events("item.completed").stream()
                    .map(e -> e.path("item"))
                    .filter(item -> itemType.equals(item.path("type").asText()))
                    .toList();
        }

        @Override
        public String toString() {
            return "codex exited " + exitCode + " after " + elapsed.toMillis() + " ms: " + String.join(" ", command)
                    + "\n--- stderr ---\n" + stderr + "\n--- stdout ---\n" + stdout;
        }
    }

    public Path projectDir() {
        return projectDir;
    }

    /** CODEX_HOME: config.toml, the user-level hooks.json, sessions/ (rollouts). */
    public Path codexHome() {
        return codexHome;
    }

    /**
     * {@code $CODEX_HOME/config.toml}. It is plain TOML (top-level keys, then standard tables, no
     * dotted keys or inline tables) so a TOML library can read, edit and rewrite it; edit the
     * existing {@code [features]} table rather than appending a second one, which TOML forbids.
     */
    public Path configToml() {
        return codexHome.resolve("config.toml");
    }

    /** HOME of the CLI and its hooks. */
    public Path homeDir() {
        return homeDir;
    }

    /** Starts a new session with {@code prompt}. */
    public Result exec(String prompt, String... extraArgs) throws IOException, InterruptedException {
        return run(List.of("exec"), prompt, extraArgs);
    }

    /** Adds a turn to the project's newest session ({@code exec resume --last}); the thread id stays the same. */
    public Result resumeLast(String prompt, String... extraArgs) throws IOException, InterruptedException {
        return run(List.of("exec", "resume", "--last"), prompt, extraArgs);
    }

    /** Adds a turn to session {@code threadId} ({@code exec resume <id>}). */
    public Result resume(String threadId, String prompt, String... extraArgs) throws IOException, InterruptedException {
        return run(List.of("exec", "resume", threadId), prompt, extraArgs);
    }

    /**
     * The session's rollout, found by name under {@code $CODEX_HOME/sessions/YYYY/MM/DD/}: the file
     * is {@code rollout-<local time>-<thread id>.jsonl}, and searching is simpler than repeating
     * the date rule (local time, so a run around midnight may land in either day's folder).
     */
    public Optional<Path> rollout(String threadId) throws IOException {
        Path sessions = codexHome.resolve("sessions");
        if (!Files.isDirectory(sessions)) {
            return Optional.empty();
        }
        String suffix = "-" + threadId + ".jsonl";
        try (Stream<Path> files = Files.walk(sessions, 4)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("rollout-") && name.endsWith(suffix);
            }).findFirst();
        }
    }

    private Result run(List<String> subcommand, String prompt, String... extraArgs)
            throws IOException, InterruptedException {
        if (prompt.startsWith("-")) {
            throw new IllegalArgumentException("a prompt starting with '-' would be read as an option: " + prompt);
        }
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(subcommand);
        command.add("--json");
        // Tests' projects are no git repositories; exec refuses to run outside one without this.
        command.add("--skip-git-repo-check");
        // Fails the run on a config.toml key this Codex does not know, instead of ignoring it.
        command.add("--strict-config");
        if (bypassHookTrust) {
            command.add("--dangerously-bypass-hook-trust");
        }
        command.addAll(List.of(extraArgs));
        command.add(prompt);

        int n = runs.incrementAndGet();
        Path stdout = logDir.resolve(String.format("%02d-stdout.jsonl", n));
        Path stderr = logDir.resolve(String.format("%02d-stderr.txt", n));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(projectDir.toFile())
                // Files, not pipes: nothing can block on a full pipe, and a process the run leaves
                // behind cannot hold our read open.
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                // exec appends piped stdin to the prompt and reads it to its end; give it none.
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment());

        long started = System.nanoTime();
        Process process = builder.start();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new AssertionError("codex did not exit within " + timeout + ": " + String.join(" ", command)
                        + "\n--- stderr ---\n" + read(stderr) + "\n--- stdout ---\n" + read(stdout));
            }
        } finally {
            kill(process); // only does something if the wait was interrupted
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        removeHelperLinks();
        return new Result(List.copyOf(command), process.exitValue(), read(stdout), read(stderr), elapsed);
    }

    /**
     * Deletes the links Codex makes per process under {@code $CODEX_HOME/tmp/} ({@code apply_patch},
     * {@code codex-linux-sandbox}, ... pointing at the cached binary): they are useless once the
     * process is gone, and JUnit warns about every link out of a {@code @TempDir} it deletes.
     */
    private void removeHelperLinks() throws IOException {
        Path helpers = codexHome.resolve("tmp");
        if (!Files.isDirectory(helpers)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(helpers)) {
            for (Path link : paths.filter(Files::isSymbolicLink).toList()) {
                Files.deleteIfExists(link);
            }
        }
    }

    /**
     * The CLI's whole environment. Nothing is inherited but PATH (node and the shell tools), so a
     * developer's own OPENAI_* or CODEX_* settings, credentials or ~/.codex cannot leak into a run.
     */
    private Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
        env.put("HOME", homeDir.toString());
        // Codex refuses to put its helper links (apply_patch etc.) in a CODEX_HOME under the temp
        // dir and warns on stderr; a TMPDIR of our own keeps the sandbox's CODEX_HOME out of it.
        env.put("TMPDIR", tmpDir.toString());
        env.put("LANG", "C.UTF-8");
        env.put("CODEX_HOME", codexHome.toString());
        env.put(API_KEY_ENV, API_KEY);
        env.putAll(extraEnv);
        return env;
    }

    private static void kill(Process process) throws InterruptedException {
        if (process.isAlive()) {
            // The npm wrapper (node) runs the native binary as a child, which runs hooks and commands.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Path createReal(Path dir) throws IOException {
        // Real path: hook payloads and rollouts carry the resolved cwd.
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
