package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `infinium status` says whether Codex has recorded our hooks as trusted. This checks that reading
 * against Codex 0.169.0 itself: the hooks `init` installs are the ones Codex lists, under the trust
 * keys we read, and once trust records exist Codex and `status` agree that all are trusted.
 */
@Tag("e2e")
class CodexHookTrustE2ETest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path work;

    @Test
    void statusAgreesWithCodexAboutHookTrust() throws Exception {
        Path project = Files.createDirectories(work.resolve("project"));
        Path codexHome = Files.createDirectories(work.resolve("codex-home"));
        Path home = Files.createDirectories(work.resolve("home"));
        TestEnv env = new TestEnv(work.resolve("connector")).with("CODEX_HOME", codexHome.toString())
                .with("INFINIUM_LAUNCHER", Path.of("bin", "infinium").toAbsolutePath().toString());
        TestEnv.Result init = env.run(project, "init", "--no-interactive", "--agent", "codex", "--trust-project",
                "--agent-id", "agent-trust", "--agent-secret", "trust-secret-1", "--base-url", "http://127.0.0.1:9/api/v1");
        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(status(env, project)).contains("0/14");

        List<String> keys = new ArrayList<>();
        StringBuilder trust = new StringBuilder(Files.readString(codexHome.resolve("config.toml")));
        try (CodexAppServer codex = new CodexAppServer(codexHome, home, project)) {
            JsonNode hooks = codex.hooks(project);
            assertThat(hooks).as("Codex lists the hooks init installed").hasSize(14);
            for (JsonNode h : hooks) {
                assertThat(h.path("command").asText()).endsWith("bin/infinium hook --agent codex --server");
                assertThat(h.path("trustStatus").asText()).isEqualTo("untrusted");
                keys.add(h.path("key").asText());
                // What Codex records when the user trusts a hook in /hooks.
                trust.append("\n[hooks.state.").append(JSON.writeValueAsString(h.path("key").asText()))
                        .append("]\ntrusted_hash = ").append(JSON.writeValueAsString(h.path("currentHash").asText()))
                        .append('\n');
            }
        }
        assertThat(keys).contains(project.resolve(".codex/hooks.json") + ":session_start:0:0",
                project.resolve(".codex/hooks.json") + ":post_tool_use:0:0");
        Files.writeString(codexHome.resolve("config.toml"), trust.toString());

        try (CodexAppServer codex = new CodexAppServer(codexHome, home, project)) {
            for (JsonNode h : codex.hooks(project)) {
                assertThat(h.path("trustStatus").asText()).as(h.path("key").asText()).isEqualTo("trusted");
            }
        }
        assertThat(status(env, project)).contains("hooks trusted in Codex (14/14)");
    }

    static String status(TestEnv env, Path project) throws Exception {
        return JSON.readTree(env.run(project, "status", "--json").out()).path("hooks").path("codex").path("notes").toString();
    }
}
