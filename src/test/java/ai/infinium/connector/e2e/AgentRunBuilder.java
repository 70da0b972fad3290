package ai.infinium.connector.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings {@link ClaudeCodeRun.Builder} and {@link CodexRun.Builder} share. {@code B} is the
 * concrete builder, so a chain of these setters still reaches its agent-specific ones.
 */
abstract class AgentRunBuilder<B extends AgentRunBuilder<B>> {

    /** A run that takes longer has hung (one run takes about a second). */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    /** Finds or installs the pinned CLI, e.g. {@link ClaudeCodeBinary#executable()}. */
    @FunctionalInterface
    interface Installer {
        Path executable() throws IOException, InterruptedException;
    }

    private final Path workDir;
    private final Installer installer;
    private Path executable;
    private Path projectDir;
    private String baseUrl;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    AgentRunBuilder(Path workDir, Installer installer) {
        this.workDir = workDir;
        this.installer = installer;
    }

    /** The fake model API the CLI talks to, e.g. {@link FakeAnthropicApi#baseUrl()}. */
    public B baseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
        return self();
    }

    /** Defaults to the pinned CLI in the test cache, installed if need be. */
    public B executable(Path executable) {
        this.executable = executable;
        return self();
    }

    /** The CLI's working directory; defaults to {@code <workDir>/project}. */
    public B projectDir(Path projectDir) {
        this.projectDir = projectDir;
        return self();
    }

    /** An extra environment variable for the CLI and so for its hooks; may override a default. */
    public B env(String name, String value) {
        env.put(name, value);
        return self();
    }

    public B timeout(Duration timeout) {
        this.timeout = timeout;
        return self();
    }

    String baseUrl() {
        return Objects.requireNonNull(baseUrl, "baseUrl");
    }

    Path executable() throws IOException, InterruptedException {
        return executable != null ? executable : installer.executable();
    }

    Map<String, String> env() {
        return Map.copyOf(env);
    }

    Duration timeout() {
        return timeout;
    }

    /** The project directory, created. */
    Path createProjectDir() throws IOException {
        return createDir(projectDir, "project");
    }

    /**
     * {@code chosen}, or {@code <workDir>/<defaultName>} if none was chosen, created and as its real
     * path: the CLIs resolve symlinks in their cwd, and hook payloads, transcripts and rollouts
     * carry the resolved paths.
     */
    Path createDir(Path chosen, String defaultName) throws IOException {
        return Files.createDirectories(chosen != null ? chosen : workDir.resolve(defaultName)).toRealPath();
    }

    @SuppressWarnings("unchecked") // B is this builder's own class, as the type bound says
    private B self() {
        return (B) this;
    }
}
