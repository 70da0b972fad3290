package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real GitHub Copilot CLI headless ({@code copilot -p … --output-format json}) in a
 * sandbox of directories under one work directory, against a fake Chat Completions API (BYOK: no
 * GitHub login), with a minimal environment built from scratch (see {@link AgentProcess}).
 * {@code COPILOT_HOME} is the sandbox's {@code copilot-home/}: hooks, settings and the session
 * logs go there, never to the developer's {@code ~/.copilot}.
 *
 * <p>{@link #prompt} starts a new session, {@link #continueLast} adds a turn to the newest one
 * ({@code --continue}); each is one CLI process.
 */
public final class CopilotRun {

    /** The model named to the provider; Copilot knows it, so it sizes its prompts without asking. */
    public static final String MODEL = "gpt-4.1";

    /** Any non-empty key will do; the fake does not check it. The tests look for it in every trace. */
    static final String API_KEY = "sk-copilot-e2e-key-5150";

    private final Path executable;
    private final Path copilotHome;
    private final AgentProcess process;

    private CopilotRun(Builder b) throws IOException, InterruptedException {
        this.executable = b.executable();
        this.copilotHome = b.createDir(b.copilotHome, "copilot-home");
        this.process = new AgentProcess("copilot", b, Map.of(
                "COPILOT_HOME", copilotHome.toString(),
                "COPILOT_PROVIDER_BASE_URL", b.baseUrl(),
                "COPILOT_PROVIDER_API_KEY", API_KEY,
                "COPILOT_MODEL", MODEL,
                "COPILOT_OFFLINE", "true",
                "COPILOT_AUTO_UPDATE", "false"));
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    public static final class Builder extends AgentRunBuilder<Builder> {
        private Path copilotHome;

        private Builder(Path workDir) {
            super(workDir, CopilotBinary::executable);
        }

        public Builder copilotHome(Path copilotHome) {
            this.copilotHome = copilotHome;
            return this;
        }

        public CopilotRun build() throws IOException, InterruptedException {
            return new CopilotRun(this);
        }
    }

    public Path projectDir() {
        return process.projectDir();
    }

    public Path copilotHome() {
        return copilotHome;
    }

    /** A new session's first turn. */
    public Result prompt(String prompt) throws IOException, InterruptedException {
        return run(prompt, List.of());
    }

    /** A turn added to the newest session. */
    public Result continueLast(String prompt) throws IOException, InterruptedException {
        return run(prompt, List.of("--continue"));
    }

    private Result run(String prompt, List<String> extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-p", prompt, "--allow-all-tools",
                "--no-auto-update", "--output-format", "json"));
        command.addAll(extra);
        return new Result(process.run(command));
    }

    /** One run; its last stdout line is {@code {"type":"result","sessionId",…,"exitCode"}}. */
    public record Result(AgentProcess.Output output) implements AgentProcess.Outcome {
        public String sessionId() {
            List<JsonNode> results = events("result");
            return results.isEmpty() ? null : results.get(results.size() - 1).path("sessionId").asText(null);
        }

        @Override
        public String toString() {
            return output.toString();
        }
    }
}
