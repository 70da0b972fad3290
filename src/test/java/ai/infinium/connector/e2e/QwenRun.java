package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real Qwen Code CLI headless ({@code qwen -o stream-json}) in a sandbox under one work
 * directory (see {@link AgentProcess}: HOME is the sandbox's, so {@code ~/.qwen} is too), against
 * a fake Chat Completions API with OpenAI auth given on the command line.
 *
 * <p>One instance is one project: {@link #prompt} starts a new session there, {@link #continueLast}
 * adds a turn to the project's newest one ({@code --continue}); the session id stays the same.
 * The user settings turn off what would reach the internet (update checks, usage statistics).
 */
public final class QwenRun {

    public static final String MODEL = "fake-model";
    /** Any key will do; the fake does not check it. The test asserts it reaches no trace. */
    public static final String API_KEY = "sk-qwen-e2e-model-key-5521";

    static final String USER_SETTINGS = """
            {
              "general": {"enableAutoUpdate": false},
              "privacy": {"usageStatisticsEnabled": false}
            }
            """;

    private final Path executable;
    private final String baseUrl;
    private final AgentProcess process;

    private QwenRun(Builder b) throws IOException, InterruptedException {
        this.executable = b.executable();
        this.baseUrl = b.baseUrl();
        this.process = new AgentProcess("qwen", b, Map.of());
        Path qwenHome = Files.createDirectories(process.homeDir().resolve(".qwen"));
        Files.writeString(qwenHome.resolve("settings.json"), USER_SETTINGS, StandardCharsets.UTF_8);
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public static final class Builder extends AgentRunBuilder<Builder> {
        private Builder(Path workDir) {
            super(workDir, QwenBinary::executable);
        }

        public QwenRun build() throws IOException, InterruptedException {
            return new QwenRun(this);
        }
    }

    /** The outcome of one CLI process; stdout is stream-json, one event per line. */
    public record Result(AgentProcess.Output output) implements AgentProcess.Outcome {
        /** The session id, from the {@code system/init} event. */
        public String sessionId() {
            return events("system").stream().map(e -> e.path("session_id").asText(null))
                    .filter(java.util.Objects::nonNull).findFirst()
                    .orElseThrow(() -> new AssertionError("no system event with a session_id\n" + this));
        }

        public JsonNode result() {
            List<JsonNode> r = events("result");
            return r.isEmpty() ? null : r.get(r.size() - 1);
        }

        @Override
        public String toString() {
            return output.toString();
        }
    }

    public Path projectDir() {
        return process.projectDir();
    }

    public Path homeDir() {
        return process.homeDir();
    }

    public Result prompt(String prompt) throws IOException, InterruptedException {
        return run(prompt, List.of());
    }

    public Result continueLast(String prompt) throws IOException, InterruptedException {
        return run(prompt, List.of("--continue"));
    }

    private Result run(String prompt, List<String> extra) throws IOException, InterruptedException {
        if (prompt.startsWith("-")) {
            throw new IllegalArgumentException("a prompt starting with '-' would be read as an option: " + prompt);
        }
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--auth-type", "openai",
                "--openai-base-url", baseUrl, "--openai-api-key", API_KEY, "-m", MODEL, "--yolo", "-o", "stream-json"));
        command.addAll(extra);
        command.add(prompt);
        return new Result(process.run(command));
    }
}
