package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code status} and {@code doctor} say of the Codex plugin's hooks, read from config.toml as Codex writes it. */
class CodexPluginStatusTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ENABLED = "[marketplaces.infinium]\nsource_type = \"local\"\nsource = \"/opt/infinium\"\n\n"
            + "[plugins.\"infinium@infinium\"]\nenabled = true\n";
    static final String[] EVENTS = {"session_start", "user_prompt_submit", "pre_model_request", "post_model_request",
            "pre_tool_use", "permission_request", "post_tool_use", "pre_compact", "post_compact", "subagent_start",
            "subagent_stop", "stop", "interrupt", "session_end"};

    @TempDir Path tmp;
    TestEnv env;
    Path project;
    Path codexHome;

    @BeforeEach
    void setUp() throws Exception {
        Path launcher = Files.createDirectories(tmp.resolve("opt/infinium/bin")).resolve("infinium");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        codexHome = Files.createDirectories(tmp.resolve("codex-home"));
        env = new TestEnv(tmp).with("INFINIUM_LAUNCHER", launcher.toString()).with("CODEX_HOME", codexHome.toString());
        project = Files.createDirectories(tmp.resolve("project"));
        TestEnv.Result init = env.run(project, "init", "--no-interactive", "--no-hooks", "--agent-id", "agent-abc",
                "--agent-secret", "s3cret-value-XYZ", "--base-url", "http://127.0.0.1:9/api/v1", "--no-check");
        assertThat(init.code()).as(init.toString()).isZero();
    }

    void config(int trusted) throws Exception {
        StringBuilder toml = new StringBuilder(ENABLED);
        for (int i = 0; i < trusted; i++) {
            toml.append("\n[hooks.state.\"infinium@infinium:hooks/hooks.json:").append(EVENTS[i])
                    .append(":0:0\"]\ntrusted_hash = \"sha256:aa\"\ntrusted_content_hash = \"sha256:bb\"\n");
        }
        Files.writeString(codexHome.resolve("config.toml"), toml.toString());
    }

    JsonNode status() throws Exception {
        return JSON.readTree(env.run(project, "status", "--json").out());
    }

    @Test
    void untrustedPluginHooksAreNamedAndAProblem() throws Exception {
        config(3);
        TestEnv.Result s = env.run(project, "status");
        assertThat(s.out()).contains("Codex: hooks from the plugin infinium@infinium (user-wide; none in "
                + project.resolve(".codex/hooks.json") + ")").contains("plugin hooks trusted in Codex: 3/14");
        JsonNode json = status();
        assertThat(json.path("hooks").path("codex").path("plugin").toString()).isEqualTo("[\"infinium@infinium\"]");
        assertThat(json.path("problems").toString()).contains("Codex has not trusted all of the plugin's hooks");
        TestEnv.Result doctor = env.run(project, "doctor", "--json");
        assertThat(doctor.out()).contains("hooks: Codex plugin").contains("Codex skips untrusted hooks");
    }

    @Test
    void trustedPluginHooksAreOk() throws Exception {
        config(14);
        JsonNode json = status();
        assertThat(json.path("hooks").path("codex").path("plugin_trust").asText())
                .isEqualTo("plugin hooks trusted in Codex (14/14)");
        assertThat(json.path("problems").toString()).doesNotContain("Codex");
        JsonNode doctor = JSON.readTree(env.run(project, "doctor", "--json").out());
        JsonNode check = null;
        for (JsonNode c : doctor.path("checks")) {
            if (c.path("name").asText().equals("hooks: Codex plugin")) {
                check = c;
            }
        }
        assertThat(check).as(doctor.toString()).isNotNull();
        assertThat(check.path("level").asText()).as(check.toString()).isEqualTo("ok");
    }

    @Test
    void besideInitsCodexHooksThePluginsAreSaidToBeIgnored() throws Exception {
        config(14);
        assertThat(env.run(project, "init", "--no-interactive", "--agent", "codex", "--mode", "command", "--agent-id",
                "agent-abc", "--agent-secret", "s3cret-value-XYZ", "--base-url", "http://127.0.0.1:9/api/v1",
                "--no-check").code()).isZero();
        TestEnv.Result s = env.run(project, "status");
        assertThat(s.out()).contains("hooks installed both by the plugin (infinium@infinium) and in "
                + project.resolve(".codex/hooks.json") + "; the plugin's are ignored here")
                .contains("`codex plugin remove infinium@infinium`");
    }
}
