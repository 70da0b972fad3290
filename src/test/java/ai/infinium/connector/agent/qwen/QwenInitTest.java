package ai.infinium.connector.agent.qwen;

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

/** {@code init}, {@code status} and {@code uninstall} with {@code --agent qwen}, on a project whose settings the user already has. */
class QwenInitTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The user's own settings: keys of theirs, and hooks of theirs on two events we hook too. */
    static final String USER_SETTINGS = """
            {
              "model": {
                "name": "qwen3-coder-plus"
              },
              "general": {
                "vimMode": true
              },
              "hooks": {
                "PreToolUse": [
                  {
                    "matcher": "run_shell_command",
                    "hooks": [
                      {
                        "type": "command",
                        "command": "/usr/local/bin/guard",
                        "timeout": 5
                      }
                    ]
                  }
                ],
                "Stop": [
                  {
                    "hooks": [
                      {
                        "type": "command",
                        "command": "notify-send done"
                      }
                    ]
                  }
                ]
              }
            }
            """;

    @TempDir Path tmp;
    TestEnv env;
    Path project;
    Path settings;

    @BeforeEach
    void setUp() throws Exception {
        env = new TestEnv(tmp);
        project = Files.createDirectories(tmp.resolve("project"));
        settings = Files.createDirectories(project.resolve(".qwen")).resolve("settings.json");
        Files.writeString(settings, USER_SETTINGS);
    }

    TestEnv.Result init(String... extra) {
        List<String> args = new ArrayList<>(List.of("init", "--no-interactive", "--agent", "qwen", "--agent-id",
                "agent-qw", "--agent-secret", "secret-qwen-9", "--base-url", "http://127.0.0.1:9/api/v1", "--no-check"));
        args.addAll(List.of(extra));
        return env.run(project, args.toArray(String[]::new));
    }

    static List<JsonNode> ours(JsonNode root) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode groups : root.path("hooks")) {
            for (JsonNode g : groups) {
                for (JsonNode h : g.path("hooks")) {
                    if (h.path("command").asText().contains("hook --agent qwen")) {
                        out.add(h);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void initTwiceThenUninstallLeavesTheUsersSettingsAsTheyWere() throws Exception {
        TestEnv.Result r = init();
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("11 Qwen Code events in " + settings);
        assertThat(init().code()).isZero();

        JsonNode after = JSON.readTree(settings.toFile());
        List<JsonNode> ours = ours(after);
        assertThat(ours).as("one handler per row of the table, however often init runs").hasSize(QwenEvent.values().length);
        assertThat(ours).allSatisfy(h -> {
            assertThat(h.path("type").asText()).isEqualTo("command");
            assertThat(h.path("timeout").asInt()).as("seconds, as Qwen Code 0.24.4 reads it").isEqualTo(30);
        });
        List<String> events = new ArrayList<>();
        after.path("hooks").fieldNames().forEachRemaining(events::add);
        assertThat(events).containsExactlyInAnyOrder("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse",
                "PostToolUseFailure", "SubagentStart", "SubagentStop", "PostCompact", "Stop", "StopFailure", "SessionEnd");
        assertThat(after.path("hooks").path("PreToolUse").get(0).path("hooks").get(0).path("command").asText())
                .isEqualTo("/usr/local/bin/guard");
        assertThat(after.path("general").path("vimMode").asBoolean()).isTrue();

        JsonNode status = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(status.path("hooks").path("qwen").path("installed_events").asInt()).isEqualTo(11);
        assertThat(status.path("hooks").path("qwen").path("expected_events").asInt()).isEqualTo(11);

        TestEnv.Result u = env.run(project, "uninstall", "--yes");
        assertThat(u.code()).as(u.toString()).isZero();
        assertThat(JSON.readTree(settings.toFile())).as("JSON-equal to what the user had")
                .isEqualTo(JSON.readTree(USER_SETTINGS));
    }

    @Test
    void initWithoutAgentPicksQwenFromTheProjectsQwenFolder() throws Exception {
        TestEnv.Result r = env.run(project, "init", "--no-interactive", "--agent-id", "agent-qw", "--agent-secret",
                "secret-qwen-9", "--base-url", "http://127.0.0.1:9/api/v1", "--no-check");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(ours(JSON.readTree(settings.toFile()))).hasSize(QwenEvent.values().length);
        assertThat(project.resolve(".claude")).doesNotExist();
    }

    @Test
    void initWithoutAgentOrAgentFolderNamesEveryAgentsFolder() throws Exception {
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        TestEnv.Result r = env.run(bare, "init", "--no-interactive", "--agent-id", "agent-qw", "--agent-secret",
                "secret-qwen-9", "--base-url", "http://127.0.0.1:9/api/v1", "--no-check");
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains(".qwen").contains("qwen");
    }

    @Test
    void withoutSettingsInitCreatesThemAndUninstallTakesOurHooksOut() throws Exception {
        Files.delete(settings);
        assertThat(init().code()).isZero();
        assertThat(ours(JSON.readTree(settings.toFile()))).hasSize(11);
        assertThat(env.run(project, "uninstall", "--yes").code()).isZero();
        assertThat(settings).as("the user had none: none is left").doesNotExist();
    }

    @Test
    void settingsThatAreNotJsonAreLeftUntouchedWithWhatToDo() throws Exception {
        String broken = "{ \"model\": { \"name\": \"qwen3\" }, // a comment\n";
        Files.writeString(settings, broken);
        TestEnv.Result r = init();
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains(settings.toString()).contains("not valid JSON").contains("fix it by hand");
        assertThat(Files.readString(settings)).isEqualTo(broken);
    }

    @Test
    void statusSaysWhenTheUserSwitchedEveryHookOff() throws Exception {
        assertThat(init().code()).isZero();
        Path user = Files.createDirectories(tmp.resolve("home/.qwen")).resolve("settings.json");
        Files.writeString(user, "{\"disableAllHooks\": true}");
        JsonNode status = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(status.path("problems").toString()).contains("disableAllHooks").contains(user.toString());
    }
}
