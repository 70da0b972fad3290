package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodexInitTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String USER_TOML = """
            # my codex settings
            model = "gpt-5-codex"   # the default model
            approval_policy = "on-request"

            [features]
            # experimental things
            web_search = true

            [mcp_servers.docs]
            command = "npx"
            args = ["-y", "docs-mcp"]
            """;
    static final String USER_HOOKS = """
            {
              "hooks": {
                "PreToolUse": [
                  {
                    "matcher": "^Bash$",
                    "hooks": [
                      {
                        "type": "command",
                        "command": "/usr/local/bin/guard"
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
    Path codexHome;

    @BeforeEach
    void setUp() throws Exception {
        codexHome = Files.createDirectories(tmp.resolve("codex-home"));
        env = new TestEnv(tmp).with("CODEX_HOME", codexHome.toString());
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve(".codex"));
        Files.writeString(project.resolve(".codex/hooks.json"), USER_HOOKS);
        Files.writeString(codexHome.resolve("config.toml"), USER_TOML);
    }

    TestEnv.Result init(String... extra) {
        List<String> args = new ArrayList<>(List.of("init", "--no-interactive", "--agent-id", "agent-cx",
                "--agent-secret", "secret-codex-9", "--base-url", "http://127.0.0.1:9/api/v1"));
        args.addAll(List.of(extra));
        return env.run(project, args.toArray(String[]::new));
    }

    static int ours(JsonNode hooks, String agent) {
        int n = 0;
        for (JsonNode groups : hooks.path("hooks")) {
            for (JsonNode g : groups) {
                for (JsonNode h : g.path("hooks")) {
                    // server mode: an http handler posting to the server, or the command (with --server)
                    n += h.path("command").asText().contains("hook --agent " + agent)
                            || h.path("url").asText().endsWith("/hook/" + agent) ? 1 : 0;
                }
            }
        }
        return n;
    }

    @Test
    void initTwiceLeavesOneSetOfHandlersAndTheUsersConfigIntact() throws Exception {
        TestEnv.Result r = init("--agent", "codex");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("/hooks").contains("trusted projects");
        assertThat(init("--agent", "codex").code()).isZero();

        JsonNode hooks = JSON.readTree(project.resolve(".codex/hooks.json").toFile());
        assertThat(ours(hooks, "codex")).isEqualTo(14);
        assertThat(hooks.path("hooks").path("PreToolUse").get(0).path("hooks").get(0).path("command").asText())
                .isEqualTo("/usr/local/bin/guard");

        String toml = Files.readString(codexHome.resolve("config.toml"));
        assertThat(toml).isEqualTo(USER_TOML.replace("web_search = true\n", "web_search = true\nhooks = true\n"));
    }

    @Test
    void trustingTheProjectIsAnExplicitChoice() throws Exception {
        assertThat(init("--agent", "codex").code()).isZero();
        assertThat(Files.readString(codexHome.resolve("config.toml"))).doesNotContain("trust_level");
        assertThat(init("--agent", "codex", "--trust-project").code()).isZero();
        assertThat(Files.readString(codexHome.resolve("config.toml")))
                .endsWith("\n[projects.\"" + project + "\"]\ntrust_level = \"trusted\"\n")
                .startsWith("# my codex settings\n");
        JsonNode status = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(status.path("hooks").path("codex").path("installed_events").asInt()).isEqualTo(14);
        assertThat(status.path("hooks").path("codex").path("notes").toString())
                .contains("hooks feature enabled").contains("project trusted").contains("0/14");
        // What Codex writes when the user trusts a hook in /hooks (group 1: the user's guard is group 0).
        StringBuilder trust = new StringBuilder(Files.readString(codexHome.resolve("config.toml")));
        for (String event : List.of("SessionStart", "UserPromptSubmit", "PreModelRequest", "PostModelRequest",
                "PreToolUse", "PermissionRequest", "PostToolUse", "PreCompact", "PostCompact", "SubagentStart",
                "SubagentStop", "Stop", "Interrupt", "SessionEnd")) {
            String snake = event.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
            int group = event.equals("PreToolUse") ? 1 : 0;
            trust.append("\n[hooks.state.\"").append(project.resolve(".codex/hooks.json")).append(':').append(snake)
                    .append(':').append(group).append(":0\"]\ntrusted_hash = \"sha256:abc\"\n");
        }
        Files.writeString(codexHome.resolve("config.toml"), trust.toString());
        status = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(status.path("hooks").path("codex").path("notes").toString()).contains("hooks trusted in Codex (14/14)");
    }

    @Test
    void aDisabledHooksFeatureIsSwitchedOnKeepingItsComment() throws Exception {
        Files.writeString(codexHome.resolve("config.toml"), "[features]\nhooks = false # off for now\n");
        assertThat(init("--agent", "codex").code()).isZero();
        assertThat(Files.readString(codexHome.resolve("config.toml"))).isEqualTo("[features]\nhooks = true # off for now\n");
    }

    @Test
    void aMissingConfigTomlIsCreated() throws Exception {
        Files.delete(codexHome.resolve("config.toml"));
        assertThat(init("--agent", "codex").code()).isZero();
        assertThat(Files.readString(codexHome.resolve("config.toml"))).isEqualTo("[features]\nhooks = true\n");
    }

    @Test
    void withoutAgentTheProjectsAgentFoldersDecide() throws Exception {
        assertThat(init().code()).isZero();
        assertThat(project.resolve(".claude/settings.local.json")).doesNotExist();
        Files.createDirectories(project.resolve(".claude"));
        assertThat(init().code()).isZero();
        assertThat(ours(JSON.readTree(project.resolve(".claude/settings.local.json").toFile()), "claude-code")).as("server mode: all but PreToolUse and PostToolUse").isEqualTo(11);
        assertThat(ours(JSON.readTree(project.resolve(".codex/hooks.json").toFile()), "codex")).isEqualTo(14);
        Path bare = Files.createDirectories(tmp.resolve("bare"));
        TestEnv.Result none = env.run(bare, "init", "--no-interactive", "--agent-id", "agent-cx", "--agent-secret", "secret-codex-9");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("--agent");
    }

    @Test
    void aFileInitCannotEditStopsItBeforeItWritesAnything() throws Exception {
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".codex/hooks.json"), "{\"hooks\": {\"Stop\": [}\n");
        Map<String, String> before = snapshot(tmp);
        TestEnv.Result r = init("--agent", "claude-code,codex");
        assertThat(r.code()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(project.resolve(".codex/hooks.json") + " is not valid JSON");
        assertThat(snapshot(tmp)).as("no project config, secret, server token or Claude Code hooks written")
                .isEqualTo(before);
    }

    /** Every file and folder under {@code root} with its bytes (as Latin-1, so any byte compares). */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                files.put(root.relativize(p).toString(), Files.isRegularFile(p)
                        ? new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1) : "(dir)");
            }
        }
        return files;
    }

    @Test
    void bothAgentsInOneCall() throws Exception {
        assertThat(init("--agent", "claude-code,codex").code()).isZero();
        assertThat(ours(JSON.readTree(project.resolve(".claude/settings.local.json").toFile()), "claude-code")).as("server mode: all but PreToolUse and PostToolUse").isEqualTo(11);
        assertThat(ours(JSON.readTree(project.resolve(".codex/hooks.json").toFile()), "codex")).isEqualTo(14);
    }
}
