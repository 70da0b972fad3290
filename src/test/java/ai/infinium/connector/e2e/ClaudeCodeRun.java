package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Runs the real Claude Code CLI headless ({@code claude -p}), or interactively in a terminal
 * ({@link #interactive}), in a sandbox of directories under one work directory, against a fake
 * Messages API, with a minimal environment built from scratch (see {@link AgentProcess}).
 *
 * <p>One instance is one project: {@link #prompt} starts a new session there, {@link
 * #continueLast} adds a turn to the project's newest session ({@code --continue}) and {@link
 * #resume} to a given one ({@code --resume <id>}). Each call is one CLI process; the session lives
 * on in the config directory's transcript between them.
 */
public final class ClaudeCodeRun {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path executable;
    private final Path configDir;
    private final AgentProcess process;

    private ClaudeCodeRun(Builder b) throws IOException, InterruptedException {
        this.executable = b.executable();
        this.configDir = b.createDir(b.configDir, "claude-config");
        this.process = new AgentProcess("claude", b, variables(configDir, b.baseUrl()));
    }

    /**
     * A runner whose directories live under {@code workDir} (typically a {@code @TempDir}):
     * {@code project/}, {@code claude-config/} (CLAUDE_CONFIG_DIR), {@code home/}, {@code tmp/}
     * (TMPDIR: the CLI's sockets and task files) and {@code runs/} (each run's stdout and stderr).
     */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public static final class Builder extends AgentRunBuilder<Builder> {
        private Path configDir;

        private Builder(Path workDir) {
            super(workDir, ClaudeCodeBinary::executable);
        }

        public Builder configDir(Path configDir) {
            this.configDir = configDir;
            return this;
        }

        /** Creates the directories and, if needed, installs the CLI. */
        public ClaudeCodeRun build() throws IOException, InterruptedException {
            return new ClaudeCodeRun(this);
        }
    }

    /** The outcome of one CLI process. Its stdout is stream-json: one JSON event per line. */
    public record Result(AgentProcess.Output output) implements AgentProcess.Outcome {

        /**
         * The session id, from the {@code system/init} event. Not from the first event: with
         * {@code --continue} or {@code --resume}, the SessionStart hook events printed before init
         * carry a throwaway id, not the resumed session's (the hook's own stdin has the right one).
         */
        public String sessionId() {
            return events("system").stream()
                    .filter(e -> "init".equals(e.path("subtype").asText()))
                    .map(e -> e.path("session_id").asText(null))
                    .filter(Objects::nonNull)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no system/init event with a session_id\n" + this));
        }

        /** The final {@code result} events (a turn woken by a background task adds a second one). */
        public List<JsonNode> results() {
            return events("result");
        }

        @Override
        public String toString() {
            return output.toString();
        }
    }

    public Path projectDir() {
        return process.projectDir();
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

    /**
     * Runs {@code claude ARGS…} (no prompt: {@code claude plugin install …}, say) in the project,
     * with the same environment and config directory as the sessions.
     */
    public Result cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(args));
        return new Result(process.run(command));
    }

    /** A {@code claude} subcommand reading {@code stdin} ({@code plugin configure --values-stdin}). */
    public Result cliWithInput(Path stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(args));
        return new Result(process.run(command, stdin));
    }

    private Result run(String prompt, List<String> sessionArgs, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-p", prompt,
                "--dangerously-skip-permissions", "--output-format", "stream-json", "--verbose"));
        command.addAll(sessionArgs);
        command.addAll(List.of(extraArgs));
        return new Result(process.run(command));
    }

    /**
     * Starts {@code claude} interactively in the project, in a terminal of its own, with the same
     * environment as the headless runs; the caller drives it through the first-run dialogs and
     * closes it. The config directory is marked as onboarded first (see {@link
     * ClaudeCodeTerminal}): everything else the CLI asks on a first run, the test answers.
     */
    public ClaudeCodeTerminal interactive(String... extraArgs) throws IOException, InterruptedException {
        markOnboarded();
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(extraArgs));
        return new ClaudeCodeTerminal(process.terminal(command, ClaudeCodeTerminal.COLUMNS, ClaudeCodeTerminal.ROWS));
    }

    /**
     * Sets {@code hasCompletedOnboarding} in the CLI's global config ({@code .claude.json} in the
     * config directory), keeping whatever else an earlier run wrote there.
     */
    private void markOnboarded() throws IOException {
        Path file = configDir.resolve(".claude.json");
        ObjectNode config = Files.exists(file) && JSON.readTree(file.toFile()) instanceof ObjectNode existing
                ? existing : JSON.createObjectNode();
        config.put("hasCompletedOnboarding", true);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config), StandardCharsets.UTF_8);
    }

    /** Claude Code's own variables: its config directory, the fake API, and no other traffic. */
    private static Map<String, String> variables(Path configDir, String baseUrl) {
        Map<String, String> env = new LinkedHashMap<>();
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
        return env;
    }
}
