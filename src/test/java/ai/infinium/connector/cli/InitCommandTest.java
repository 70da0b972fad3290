package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "s3cret-value-XYZ";
    static final String USER_SETTINGS = """
            {
              "permissions": {
                "allow": ["Bash(npm test)"]
              },
              "hooks": {
                "PreToolUse": [
                  {
                    "matcher": "Bash",
                    "hooks": [
                      {
                        "type": "command",
                        "command": "/usr/local/bin/my-guard.sh"
                      }
                    ]
                  }
                ],
                "Notification": [
                  {
                    "hooks": [
                      {
                        "type": "command",
                        "command": "notify-send done"
                      }
                    ]
                  }
                ]
              },
              "model": "opus"
            }
            """;

    @TempDir Path tmp;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        env = new TestEnv(tmp);
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve(".git"));
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.local.json"), USER_SETTINGS);
    }

    TestEnv.Result init(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("init", "--no-interactive", "--agent", "claude-code",
                "--agent-id", "agent-abc", "--agent-secret", SECRET, "--base-url", "http://127.0.0.1:9/api/v1"));
        args.addAll(List.of(extra));
        return env.run(project, args.toArray(String[]::new));
    }

    /** A session started at the work tree's root must find the setup: init in a subfolder goes to the root. */
    @Test
    void initInASubfolderOfAWorkTreeSetsUpItsRoot() throws Exception {
        Path sub = Files.createDirectories(project.resolve("src/module"));
        List<String> args = List.of("init", "--no-interactive", "--agent", "claude-code", "--agent-id", "agent-abc",
                "--agent-secret", SECRET, "--base-url", "http://127.0.0.1:9/api/v1");
        TestEnv.Result r = env.run(sub, args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Setting up the git work tree's root " + project);
        assertThat(project.resolve(".infinium/config.json")).exists();
        assertThat(ourHandlers(JSON.readTree(project.resolve(".claude/settings.local.json").toFile()))).isPositive();
        assertThat(sub.resolve(".infinium")).doesNotExist();
        assertThat(Files.readString(project.resolve(".gitignore"))).contains(".infinium/").contains(".claude/settings.local.json");

        // --here keeps the subfolder (a package of a monorepo with an agent of its own)
        List<String> here = new java.util.ArrayList<>(args);
        here.add("--here");
        TestEnv.Result h = env.run(sub, here.toArray(String[]::new));
        assertThat(h.code()).as(h.toString()).isZero();
        assertThat(sub.resolve(".infinium/config.json")).exists();

        // interactive: asked, re-asked on a stray answer; "n" keeps the subfolder
        Path other = Files.createDirectories(project.resolve("docs"));
        TestEnv.Result asked = env.runWithInput(other, "maybe\nn\n", "init", "--agent", "claude-code", "--agent-id",
                "agent-abc", "--agent-secret", SECRET, "--base-url", "http://127.0.0.1:9/api/v1");
        assertThat(asked.code()).as(asked.toString()).isZero();
        assertThat(asked.err()).contains("inside the git work tree " + project);
        assertThat(asked.out()).contains("Please answer y or n.");
        assertThat(other.resolve(".infinium/config.json")).exists();
    }

    int ourHandlers(JsonNode settings) {
        int n = 0;
        for (JsonNode groups : settings.path("hooks")) {
            for (JsonNode g : groups) {
                for (JsonNode h : g.path("hooks")) {
                    n += h.path("command").asText().contains("hook --agent claude-code") ? 1 : 0;
                }
            }
        }
        return n;
    }

    @Test
    void installsOneSetOfHooksAndKeepsEverythingOfTheUsers() throws Exception {
        TestEnv.Result r = init("--mode", "command");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("infinium test");
        assertThat(init("--mode", "command").code()).isZero();

        JsonNode s = JSON.readTree(project.resolve(".claude/settings.local.json").toFile());
        assertThat(ourHandlers(s)).as("one handler per event after two inits").isEqualTo(13);
        assertThat(s.path("permissions").path("allow").get(0).asText()).isEqualTo("Bash(npm test)");
        assertThat(s.path("model").asText()).isEqualTo("opus");
        assertThat(s.path("hooks").path("PreToolUse").get(0).path("hooks").get(0).path("command").asText())
                .isEqualTo("/usr/local/bin/my-guard.sh");
        assertThat(s.path("hooks").path("Notification").toString()).contains("notify-send done");
        for (String event : List.of("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse", "PostToolUseFailure",
                "SubagentStart", "SubagentStop", "Stop", "StopFailure", "SessionEnd")) {
            assertThat(s.path("hooks").path(event).toString()).as(event).contains("hook --agent claude-code");
        }
        String text = Files.readString(project.resolve(".claude/settings.local.json"));
        assertThat(text).startsWith("{\n  \"permissions\": {").endsWith("}\n");

        JsonNode config = JSON.readTree(project.resolve(".infinium/config.json").toFile());
        assertThat(config.path("agent_id").asText()).isEqualTo("agent-abc");
        assertThat(config.path("base_url").asText()).isEqualTo("http://127.0.0.1:9/api/v1");
        assertThat(config.path("granularity").asText()).isEqualTo("turn");
        assertThat(Files.readString(project.resolve(".gitignore"))).isEqualTo(".infinium/\n.claude/settings.local.json\n");
    }

    @Test
    void theSecretIsOnlyInTheOwnerOnlyFallbackFile() throws Exception {
        assertThat(init().code()).isZero();
        Path store = env.dirs().config().resolve("secrets.json");
        assertThat(Files.getPosixFilePermissions(store)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (!f.equals(store)) {
                    assertThat(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).as(f.toString())
                            .doesNotContain(SECRET);
                }
            }
        }
        TestEnv.Result status = env.run(project, "status");
        assertThat(status.out()).doesNotContain(SECRET).contains("****").contains("file fallback");
    }

    @Test
    void missingFlagsInNonInteractiveModeAreAUsageError() {
        TestEnv.Result r = env.run(project, "init", "--no-interactive");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--agent-id");
        assertThat(env.run(project, "init", "--agent", "cursor", "--no-interactive").code()).isEqualTo(2);
        assertThat(env.run(project, "init", "--bogus").code()).isEqualTo(2);
    }

    @Test
    void interactiveInitAsksForWhatIsMissing() throws Exception {
        TestEnv.Result r = env.runWithInput(project, "\nagent-typed\nsecret-typed-123\n\n", "init");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("agent id").contains("secret");
        assertThat(JSON.readTree(project.resolve(".infinium/config.json").toFile()).path("agent_id").asText())
                .isEqualTo("agent-typed");
    }

    @Test
    void aBrokenSettingsFileIsLeftUntouched() throws Exception {
        Files.writeString(project.resolve(".claude/settings.local.json"), "{ not json");
        TestEnv.Result r = init();
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("settings.local.json").contains("not valid JSON");
        assertThat(Files.readString(project.resolve(".claude/settings.local.json"))).isEqualTo("{ not json");
    }

    @Test
    void pauseAndResumeSwitchRecordingOff() throws Exception {
        assertThat(init().code()).isZero();
        assertThat(env.run(project, "pause").code()).isZero();
        assertThat(JSON.readTree(env.run(project, "status", "--json").out()).path("tracing").asText()).isEqualTo("paused");
        env.hookWithoutFlush("claude-code", ("{\"session_id\":\"s1\",\"cwd\":\"" + project
                + "\",\"hook_event_name\":\"SessionStart\"}").getBytes());
        assertThat(env.dirs().sessions().resolve("claude-code/s1.jsonl")).doesNotExist();
        assertThat(env.run(project, "continue").code()).isZero();
        env.hookWithoutFlush("claude-code", ("{\"session_id\":\"s1\",\"cwd\":\"" + project
                + "\",\"hook_event_name\":\"SessionStart\"}").getBytes());
        assertThat(env.dirs().sessions().resolve("claude-code/s1.jsonl")).exists();
        assertThat(JSON.readTree(env.run(project, "status", "--json").out()).path("tracing").asText()).isEqualTo("active");
    }
}
