package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.e2e.FakeAnthropicApi.ApiCall;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TranscriptTotals;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A project where the real Claude Code CLI is traced by the connector under test, as the
 * end-to-end tests set it up: the loopback fake of the Messages API, the loopback fake of the
 * Infinium API, an isolated connector user ({@link TestEnv}) whose directories the CLI's hooks
 * share, and {@link #init} running {@code infinium init} through {@code bin/infinium} and the
 * packaged jar.
 */
final class TracedClaudeProject implements AutoCloseable {
    static final String AGENT = "agent-e2e-0001";
    static final String SECRET = "e2e-secret-Zq81xPw";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path work;
    final FakeAnthropicApi anthropic;
    final FakeInfiniumApi infinium;
    final TestEnv connector;
    final ClaudeCodeRun claude;

    private TracedClaudeProject(Path work) throws IOException, InterruptedException {
        this.work = work;
        Path launcher = Path.of("bin", "infinium").toAbsolutePath();
        assertThat(Path.of("target", "infinium.jar")).as("run through `mvn verify`: the jar is packaged first").exists();
        anthropic = FakeAnthropicApi.start();
        infinium = FakeInfiniumApi.start(AGENT, SECRET);
        connector = new TestEnv(work.resolve("connector")).with("INFINIUM_LAUNCHER", launcher.toString());
        ClaudeCodeRun.Builder b = ClaudeCodeRun.builder(work).baseUrl(anthropic.baseUrl())
                .env("CLAUDE_CODE_MAX_RETRIES", "0");
        // The hooks run with Claude Code's environment: give them the same per-user directories
        // (and the server the hooks start, the same port init installed).
        for (String k : List.of("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "CONNECTOR_SESSION_DIR",
                "INFINIUM_SERVER_PORT", "INFINIUM_SERVER_IDLE_TIMEOUT")) {
            b.env(k, connector.env().get(k));
        }
        claude = b.build();
    }

    /** Sets up the fakes and the sandbox under {@code work} (a {@code @TempDir}). */
    static TracedClaudeProject create(Path work) throws IOException, InterruptedException {
        return new TracedClaudeProject(work);
    }

    /** {@code infinium init} in the project, hooks in {@code mode} ({@code server} or {@code command}). */
    void init(String mode) {
        TestEnv.Result init = connector.run(claude.projectDir(), "init", "--no-interactive", "--agent", "claude-code",
                "--agent-id", AGENT, "--agent-secret", SECRET, "--base-url", infinium.baseUrl(), "--mode", mode);
        assertThat(init.code()).as(init.toString()).isZero();
    }

    /**
     * The connector's spool of each session, by session id: each line as written, the hook's own
     * events and those the flush read from the transcript (marked {@code recovered}).
     */
    Map<String, List<JsonNode>> spools() throws IOException {
        Map<String, List<JsonNode>> spools = new LinkedHashMap<>();
        Path dir = connector.dirs().sessions().resolve("claude-code");
        if (!Files.isDirectory(dir)) {
            return spools;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                List<JsonNode> lines = new ArrayList<>();
                for (String line : Files.readAllLines(f)) {
                    lines.add(JSON.readTree(line));
                }
                String name = f.getFileName().toString();
                spools.put(name.substring(0, name.length() - ".jsonl".length()), lines);
            }
        }
        return spools;
    }

    /** What the fake model API answered on the successful model calls of {@code marker}'s script. */
    TranscriptTotals.Totals answeredUsage(String marker) {
        long in = 0;
        long out = 0;
        int n = 0;
        for (ApiCall c : anthropic.modelCalls(marker)) {
            if (c.usage() == null || c.status() != 200) {
                continue;
            }
            in += c.usage().inputTokens() + c.usage().cacheCreationInputTokens() + c.usage().cacheReadInputTokens();
            out += c.usage().outputTokens();
            n++;
        }
        return new TranscriptTotals.Totals(in, out, n);
    }

    /** Stops the server the hooks started, then the fakes. */
    @Override
    public void close() {
        connector.run(work, "server", "stop");
        anthropic.close();
        infinium.close();
    }
}
