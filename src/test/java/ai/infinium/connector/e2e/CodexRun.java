package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs the real Codex CLI headless ({@code codex exec --json}) in a sandbox of directories under
 * one work directory, against a fake Responses API, with a minimal environment built from scratch
 * (see {@link AgentProcess}).
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

    /** The model name sent to the fake; Codex warns once that it has no metadata for it and goes on. */
    public static final String MODEL = "gpt-fake";

    /** The provider id in config.toml. */
    public static final String PROVIDER = "fake";

    /** The variable the provider's {@code env_key} names; Codex sends its value as the bearer token. */
    static final String API_KEY_ENV = "INFINIUM_FAKE_OPENAI_API_KEY";

    /** Any non-empty key will do; the fake does not check it. Hooks see it in their environment too. */
    static final String API_KEY = "sk-fake-e2e-key";

    private final Path executable;
    private final Path codexHome;
    private final boolean bypassHookTrust;
    private final AgentProcess process;

    private CodexRun(Builder b) throws IOException, InterruptedException {
        this.executable = b.executable();
        this.codexHome = b.createDir(b.codexHome, "codex-home");
        this.bypassHookTrust = b.bypassHookTrust;
        // Codex refuses to put its helper links (apply_patch etc.) in a CODEX_HOME under the temp
        // dir and warns on stderr; the sandbox's own TMPDIR keeps its CODEX_HOME out of it.
        this.process = new AgentProcess("codex", b, Map.of("CODEX_HOME", codexHome.toString(), API_KEY_ENV, API_KEY));
        CodexConfig config = new CodexConfig(b.baseUrl(), MODEL, PROVIDER, API_KEY_ENV, b.features,
                b.trustProject ? List.of(process.projectDir()) : List.of());
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

    public static final class Builder extends AgentRunBuilder<Builder> {
        private Path codexHome;
        private final Map<String, Boolean> features = new LinkedHashMap<>();
        private boolean trustProject;
        private boolean bypassHookTrust = true;

        private Builder(Path workDir) {
            super(workDir, CodexBinary::executable);
        }

        public Builder codexHome(Path codexHome) {
            this.codexHome = codexHome;
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

        /** Creates the directories, writes config.toml and, if needed, installs the CLI. */
        public CodexRun build() throws IOException, InterruptedException {
            return new CodexRun(this);
        }
    }

    /** The outcome of one CLI process. Its stdout is {@code exec --json}: one JSON event per line. */
    public record Result(AgentProcess.Output output) implements AgentProcess.Outcome {

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
            return output.toString();
        }
    }

    public Path projectDir() {
        return process.projectDir();
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
        return process.homeDir();
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
     * Runs {@code codex ARGS…} in the project with the run's environment, for Codex's own commands
     * ({@code plugin marketplace add DIR}, {@code plugin add NAME@MARKETPLACE}): no prompt, no flags added.
     */
    public Result cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        AgentProcess.Output output = process.run(command);
        removeHelperLinks();
        return new Result(output);
    }

    /**
     * Stops what a TUI session leaves behind: Codex 0.169.0 starts a managed app-server daemon from
     * {@code $CODEX_HOME/packages/}, which outlives the session, and beside it an updater
     * ({@code app-server daemon pid-update-loop}), which outlives even {@code codex app-server daemon
     * stop} (seen). So: that stop, then SIGTERM to whatever still runs from this run's CODEX_HOME,
     * and a bounded wait for it to go.
     *
     * @return the processes that ignored SIGTERM for 10 s and were killed (empty when all went)
     */
    public List<String> stopDaemons() throws IOException, InterruptedException {
        cli("app-server", "daemon", "stop"); // exits non-zero when none runs: what follows checks anyway
        String home = codexHome.toString();
        java.util.function.Supplier<List<ProcessHandle>> fromHome = () -> ProcessHandle.allProcesses()
                .filter(ph -> ph.info().command().map(c -> c.startsWith(home)).orElse(false)).toList();
        fromHome.get().forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        List<ProcessHandle> left = fromHome.get();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            left = fromHome.get();
        }
        List<String> killed = new ArrayList<>();
        for (ProcessHandle ph : left) {
            killed.add(ph.pid() + " " + ph.info().commandLine().orElse("?"));
            ph.destroyForcibly();
        }
        return killed;
    }

    /**
     * Starts {@code codex} interactively (its TUI) in the project, in a terminal of its own, with the
     * same environment as {@link #exec}: what a person sees, for the steps only the TUI offers
     * (reviewing and trusting hooks). The caller drives and closes it.
     */
    TmuxTerminal terminal(int columns, int rows) throws IOException, InterruptedException {
        return process.terminal(List.of(executable.toString()), columns, rows);
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

        AgentProcess.Output output = process.run(command);
        removeHelperLinks();
        return new Result(output);
    }

    /**
     * Deletes the links Codex makes per process under {@code $CODEX_HOME/tmp/} ({@code apply_patch},
     * {@code codex-linux-sandbox}, ... pointing at the cached binary): they are useless once the
     * process is gone, and JUnit warns about every link out of a {@code @TempDir} it deletes.
     */
    void removeHelperLinks() throws IOException {
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
}
