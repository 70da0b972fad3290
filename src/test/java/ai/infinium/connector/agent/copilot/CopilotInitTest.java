package ai.infinium.connector.agent.copilot;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code init --agent copilot}, {@code status} and {@code uninstall} through the CLI, against a
 * Copilot home holding the user's own settings and hooks.
 */
class CopilotInitTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER_SETTINGS = """
            {
              "model": "gpt-4.1",
              "hooks": {
                "sessionStart": [ { "type": "command", "bash": "echo started >> /tmp/mine.log" } ]
              }
            }
            """;
    static final String USER_HOOKS = """
            {"version": 1, "hooks": {"preToolUse": [{"type": "command", "bash": "/usr/local/bin/guard", "timeoutSec": 5}]}}
            """;

    @TempDir Path tmp;
    TestEnv env;
    Path copilotHome;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        copilotHome = Files.createDirectories(tmp.resolve("copilot-home"));
        Files.createDirectories(copilotHome.resolve("hooks"));
        Files.writeString(copilotHome.resolve("settings.json"), USER_SETTINGS);
        Files.writeString(copilotHome.resolve("hooks/mine.json"), USER_HOOKS);
        env = new TestEnv(tmp).with("COPILOT_HOME", copilotHome.toString());
        project = Files.createDirectories(tmp.resolve("project"));
    }

    TestEnv.Result init(Path dir, String... extra) {
        List<String> args = new ArrayList<>(List.of("init", "--no-interactive", "--no-check", "--agent", "copilot",
                "--agent-id", "agent-cp", "--agent-secret", "secret-copilot-9", "--base-url", "http://127.0.0.1:9/api/v1"));
        args.addAll(List.of(extra));
        return env.run(dir, args.toArray(String[]::new));
    }

    Path ours() {
        return copilotHome.resolve("hooks").resolve(CopilotHookInstaller.FILE);
    }

    @Test
    void initThenUninstallLeavesTheUsersCopilotFilesAsTheyWere() throws Exception {
        TestEnv.Result r = init(project, "--mode", "command");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode installed = JSON.readTree(ours().toFile());
        assertThat(installed.path("version").asInt()).isEqualTo(1);
        List<String> events = new ArrayList<>();
        installed.path("hooks").fieldNames().forEachRemaining(events::add);
        assertThat(events).containsExactlyInAnyOrder("userPromptSubmitted", "preToolUse", "postToolUse",
                "postToolUseFailure", "errorOccurred", "agentStop", "sessionEnd");
        for (String e : events) {
            String line = installed.path("hooks").path(e).get(0).path("bash").asText();
            assertThat(line).as("the event is named on the command line, and the line cannot fail the agent")
                    .contains(" hook --agent copilot --event " + e).endsWith(" >/dev/null 2>&1 || true");
        }
        assertThat(JSON.readTree(copilotHome.resolve("settings.json").toFile())).isEqualTo(JSON.readTree(USER_SETTINGS));
        assertThat(Files.readString(copilotHome.resolve("hooks/mine.json"))).isEqualTo(USER_HOOKS);

        TestEnv.Result status = env.run(project, "status");
        assertThat(status.out()).as(status.toString()).contains("GitHub Copilot CLI: 7/7");

        TestEnv.Result u = env.run(project, "uninstall", "-y");
        assertThat(u.code()).as(u.toString()).isZero();
        assertThat(ours()).doesNotExist();
        assertThat(Files.readString(copilotHome.resolve("settings.json"))).isEqualTo(USER_SETTINGS);
        assertThat(Files.readString(copilotHome.resolve("hooks/mine.json"))).isEqualTo(USER_HOOKS);
        try (var left = Files.list(copilotHome.resolve("hooks"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("mine.json");
        }
    }

    /** The hooks are the user's, shared by every project: uninstall in one must not stop another's tracing. */
    @Test
    void uninstallInOneProjectKeepsTheHooksAnotherProjectStillUses() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("other"));
        assertThat(init(project).code()).isZero();
        assertThat(init(other).code()).isZero();
        Path claudeOnly = Files.createDirectories(tmp.resolve("claude-only"));
        TestEnv.Result claude = env.run(claudeOnly, "init", "--no-interactive", "--no-check", "--agent", "claude-code",
                "--agent-id", "agent-cl", "--agent-secret", "secret-claude-9", "--base-url", "http://127.0.0.1:9/api/v1");
        assertThat(claude.code()).as(claude.toString()).isZero();
        assertThat(env.run(claudeOnly, "status").out()).as("a project not set up for Copilot has none of its hooks")
                .doesNotContain("GitHub Copilot CLI: 7/7");
        assertThat(env.run(claudeOnly, "uninstall", "-y").code()).isZero();
        assertThat(ours()).as("a Claude-only project's uninstall leaves Copilot's hooks alone").exists();

        assertThat(env.run(project, "uninstall", "-y").code()).isZero();
        assertThat(ours()).as("the other project still uses them").exists();
        assertThat(env.run(other, "status").out()).contains("GitHub Copilot CLI: 7/7");

        assertThat(env.run(other, "uninstall", "-y").code()).isZero();
        assertThat(ours()).as("gone with the last project").doesNotExist();
        assertThat(Files.readString(copilotHome.resolve("hooks/mine.json"))).isEqualTo(USER_HOOKS);
    }

    @Test
    void aFileOfThatNameHoldingSomeoneElsesHooksIsLeftUntouched() throws Exception {
        Files.writeString(ours(), USER_HOOKS);
        TestEnv.Result r = init(project);
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains(ours().toString()).contains("not infinium's").contains("rename it");
        assertThat(Files.readString(ours())).isEqualTo(USER_HOOKS);
    }
}
