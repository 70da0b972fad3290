package ai.infinium.connector.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real Gemini CLI headless ({@code gemini -p … -o stream-json}) in a sandbox of
 * directories under one work directory, against {@link FakeGeminiApi}, with an environment built
 * from scratch (see {@link AgentProcess}). {@link #prompt} starts a session, {@link #resumeLatest}
 * adds a turn to the project's newest one ({@code --resume latest}, same session id).
 *
 * <p>{@code ~/.gemini/settings.json} is written with what a user of an API key has there
 * ({@code security.auth.selectedType}; without it headless mode fails with "Invalid auth method
 * selected"); the connector's installer adds its hooks to that file.
 */
public final class GeminiRun {

    /** Any non-empty key will do; the fake does not check it. Gemini passes it to hooks too. */
    static final String API_KEY = "AIza-fake-gemini-e2e-key-0042";

    static final String USER_SETTINGS = """
            {
              "security": {
                "auth": {
                  "selectedType": "gemini-api-key"
                }
              }
            }
            """;

    private final Path executable;
    private final AgentProcess process;

    private GeminiRun(Builder b) throws IOException, InterruptedException {
        this.executable = b.executable();
        this.process = new AgentProcess("gemini", b, Map.of("GOOGLE_GEMINI_BASE_URL", b.baseUrl(), "GEMINI_API_KEY",
                API_KEY));
        Path settings = settingsFile();
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, USER_SETTINGS, StandardCharsets.UTF_8);
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public static final class Builder extends AgentRunBuilder<Builder> {
        private Builder(Path workDir) {
            super(workDir, GeminiBinary::executable);
        }

        public GeminiRun build() throws IOException, InterruptedException {
            return new GeminiRun(this);
        }
    }

    /** The outcome of one CLI process; stdout is stream-json, one event per line. */
    public record Result(AgentProcess.Output output) implements AgentProcess.Outcome {
        /** The session id of the {@code init} event. */
        public String sessionId() {
            return events("init").stream().map(e -> e.path("session_id").asText(null)).filter(s -> s != null)
                    .findFirst().orElseThrow(() -> new AssertionError("no init event with a session_id\n" + this));
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

    public Path settingsFile() {
        return homeDir().resolve(".gemini").resolve("settings.json");
    }

    public Result prompt(String prompt) throws IOException, InterruptedException {
        return run(prompt, List.of());
    }

    public Result resumeLatest(String prompt) throws IOException, InterruptedException {
        return run(prompt, List.of("--resume", "latest"));
    }

    private Result run(String prompt, List<String> extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-p", prompt, "--approval-mode", "yolo",
                "--skip-trust", "-o", "stream-json"));
        command.addAll(extra);
        return new Result(process.run(command));
    }
}
