package ai.infinium.connector.agent.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code init}, {@code status} and {@code uninstall} with the user's own Gemini settings in place. */
class GeminiInitTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER_SETTINGS = """
            {
              "security": {
                "auth": {
                  "selectedType": "gemini-api-key"
                }
              },
              "model": {
                "name": "gemini-2.5-pro"
              },
              "hooksConfig": {
                "enabled": true,
                "notifications": false
              },
              "hooks": {
                "BeforeTool": [
                  {
                    "matcher": "run_shell_command",
                    "hooks": [
                      {
                        "type": "command",
                        "name": "guard",
                        "command": "/usr/local/bin/guard",
                        "timeout": 5000
                      }
                    ]
                  }
                ],
                "Notification": [
                  {
                    "hooks": [
                      {
                        "type": "command",
                        "command": "notify-send gemini"
                      }
                    ]
                  }
                ]
              }
            }
            """;

    @TempDir Path tmp;
    TestEnv env;
    Path settings;

    @BeforeEach
    void setUp() throws Exception {
        env = new TestEnv(tmp);
        settings = tmp.resolve("home/.gemini/settings.json");
        Files.createDirectories(settings.getParent());
        Files.writeString(settings, USER_SETTINGS);
    }

    Path project(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }

    TestEnv.Result init(Path project) {
        return env.run(project, "init", "--no-interactive", "--no-check", "--agent", "gemini", "--agent-id", "agent-gm",
                "--agent-secret", "secret-gemini-9", "--base-url", "http://127.0.0.1:9/api/v1");
    }

    JsonNode settingsJson() throws Exception {
        return JSON.readTree(settings.toFile());
    }

    static int ours(JsonNode root) {
        int n = 0;
        for (JsonNode groups : root.path("hooks")) {
            for (JsonNode g : groups) {
                for (JsonNode h : g.path("hooks")) {
                    n += h.path("command").asText().contains("hook --agent gemini") ? 1 : 0;
                }
            }
        }
        return n;
    }

    @Test
    void initThenUninstallLeavesTheUsersSettingsAsTheyWere() throws Exception {
        Path p = project("p");
        TestEnv.Result r = init(p);
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode after = settingsJson();
        assertThat(ours(after)).isEqualTo(GeminiEvent.values().length);
        for (GeminiEvent e : GeminiEvent.values()) {
            JsonNode group = after.path("hooks").path(e.hookName()).get(after.path("hooks").path(e.hookName()).size() - 1);
            assertThat(group.path("matcher").asText()).isEqualTo("*");
            JsonNode h = group.path("hooks").get(0);
            assertThat(h.path("type").asText()).isEqualTo("command");
            assertThat(h.path("name").asText()).isEqualTo("infinium");
            assertThat(h.path("timeout").asInt()).as("milliseconds").isEqualTo(30_000);
        }
        assertThat(after.path("hooks").path("BeforeTool").get(0).path("hooks").get(0).path("command").asText())
                .as("the user's own hook first, untouched").isEqualTo("/usr/local/bin/guard");
        assertThat(after.path("hooks").has("AfterModel")).as("per-chunk events are not hooked").isFalse();
        assertThat(after.path("model").path("name").asText()).isEqualTo("gemini-2.5-pro");

        assertThat(init(p).code()).isZero();
        assertThat(ours(settingsJson())).as("a second init replaces ours").isEqualTo(GeminiEvent.values().length);

        JsonNode status = JSON.readTree(env.run(p, "status", "--json").out());
        assertThat(status.path("hooks").path("gemini").path("installed_events").asInt()).isEqualTo(6);
        assertThat(status.path("hooks").path("gemini").path("file").asText()).isEqualTo(settings.toString());

        r = env.run(p, "uninstall", "-y");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(settingsJson()).isEqualTo(JSON.readTree(USER_SETTINGS));
    }

    /** The hooks are the user's, not the project's: they go with the last project that traces Gemini. */
    @Test
    void uninstallingOneProjectKeepsTheHooksAnotherStillUses() throws Exception {
        Path a = project("a");
        Path b = project("b");
        assertThat(init(a).code()).isZero();
        assertThat(init(b).code()).isZero();
        TestEnv.Result r = env.run(a, "uninstall", "-y");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("stay: " + b + " still trace");
        assertThat(ours(settingsJson())).as("b is still traced").isEqualTo(6);
        assertThat(a.resolve(".infinium")).doesNotExist();

        r = env.run(b, "uninstall", "-y");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(settingsJson()).isEqualTo(JSON.readTree(USER_SETTINGS));
    }

    @Test
    void aSettingsFileThatIsNotJsonIsLeftUntouched() throws Exception {
        String broken = "{ \"security\": { \"auth\": \"x\" }, // a comment\n";
        Files.writeString(settings, broken);
        TestEnv.Result r = init(project("p"));
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains(settings.toString()).contains("left untouched");
        assertThat(Files.readString(settings)).isEqualTo(broken);
    }

    @Test
    void withoutASettingsFileInitCreatesItAndUninstallRemovesIt() throws Exception {
        Files.delete(settings);
        Path p = project("p");
        assertThat(init(p).code()).isZero();
        assertThat(ours(settingsJson())).isEqualTo(6);
        assertThat(env.run(p, "uninstall", "-y").code()).isZero();
        assertThat(settings).doesNotExist();
    }

    @Test
    void geminiCliHomeStandsInForTheHomeDirectory() throws Exception {
        Path other = tmp.resolve("gemini-home");
        env.with("GEMINI_CLI_HOME", other.toString());
        assertThat(init(project("p")).code()).isZero();
        assertThat(ours(JSON.readTree(other.resolve(".gemini/settings.json").toFile()))).isEqualTo(6);
        assertThat(settingsJson()).isEqualTo(JSON.readTree(USER_SETTINGS));
    }
}
