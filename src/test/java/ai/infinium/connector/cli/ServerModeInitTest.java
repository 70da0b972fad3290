package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.claude.ClaudeHookInstaller;
import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.config.ServerToken;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code init} in server mode (the default), switching modes, and removing both kinds of hooks. */
class ServerModeInitTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    TestEnv env;
    Path project;
    Path settings;

    @BeforeEach
    void setUp() throws Exception {
        env = new TestEnv(tmp);
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve(".git"));
        settings = Files.createDirectories(project.resolve(".claude")).resolve("settings.local.json");
        Files.writeString(settings, InitCommandTest.USER_SETTINGS);
    }

    TestEnv.Result init(String... extra) {
        List<String> args = new ArrayList<>(List.of("init", "--no-interactive", "--agent", "claude-code",
                "--agent-id", "agent-srv", "--agent-secret", "server-mode-secret", "--base-url", "http://127.0.0.1:9/api/v1"));
        args.addAll(List.of(extra));
        TestEnv.Result r = env.run(project, args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    /** event → "http URL" or "command …" for each of our handlers. */
    Map<String, List<String>> ours() throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        JsonNode hooks = JSON.readTree(settings.toFile()).path("hooks");
        hooks.fieldNames().forEachRemaining(event -> {
            for (JsonNode g : hooks.path(event)) {
                for (JsonNode h : g.path("hooks")) {
                    String cmd = h.path("command").asText();
                    if (h.path("type").asText().equals("http") && h.path("url").asText().endsWith("/hook/claude-code")) {
                        out.computeIfAbsent(event, k -> new ArrayList<>()).add("http " + h.path("url").asText());
                    } else if (cmd.contains("hook --agent claude-code")) {
                        out.computeIfAbsent(event, k -> new ArrayList<>()).add("command " + cmd);
                    }
                }
            }
        });
        return out;
    }

    @Test
    void serverModeIsTheDefault() throws Exception {
        TestEnv.Result r = init();
        assertThat(r.out()).contains("server mode");
        Map<String, List<String>> ours = ours();
        assertThat(ours).hasSize(ClaudeHookInstaller.EVENTS.size() - ClaudeHookInstaller.TRANSCRIPT_EVENTS.size());
        String port = env.env().get("INFINIUM_SERVER_PORT");
        for (String event : ClaudeHookInstaller.EVENTS) {
            if (ClaudeHookInstaller.TRANSCRIPT_EVENTS.contains(event)) {
                assertThat(ours).as(event + ": no hook on every tool call, the transcript has it").doesNotContainKey(event);
                continue;
            }
            assertThat(ours.get(event)).as(event).hasSize(1);
            String h = ours.get(event).get(0);
            if (ClaudeHookInstaller.HTTP_EVENTS.contains(event)) {
                assertThat(h).as(event).isEqualTo("http http://127.0.0.1:" + port + "/hook/claude-code");
            } else {
                assertThat(h).as(event + ": turn and session boundaries stay commands that start the server")
                        .startsWith("command ").endsWith("hook --agent claude-code --server");
            }
        }
        assertThat(ours.get("SessionStart").get(0)).as("Claude Code runs no http hook for SessionStart").startsWith("command ");

        // The header carries the per-user token; the file that holds it is owner-only and git-ignored.
        JsonNode hooks = JSON.readTree(settings.toFile()).path("hooks");
        JsonNode failure = hooks.path("PostToolUseFailure");
        JsonNode ourHttp = failure.get(failure.size() - 1).path("hooks").get(0);
        String token = ServerToken.readIfPrivate(new ServerFiles(env.dirs(), env.env()));
        assertThat(ourHttp.path("headers").path("Authorization").asText()).isEqualTo("Bearer " + token);
        assertThat(ourHttp.path("timeout").asInt()).isEqualTo(1);
        assertThat(ourHttp.has("allowedEnvVars")).as("a literal header: no variable leaks into tool processes").isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(settings))).isEqualTo("rw-------");
        assertThat(Files.readString(project.resolve(".gitignore"))).contains(".claude/settings.local.json");
        // The user's own hooks are untouched.
        JsonNode pre = hooks.path("PreToolUse");
        assertThat(pre).hasSize(1);
        assertThat(pre.get(0).path("hooks").get(0).path("command").asText()).isEqualTo("/usr/local/bin/my-guard.sh");

        JsonNode status = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(status.path("hooks").path("claude-code").path("notes").toString()).contains("server mode");
        assertThat(status.path("hooks").path("claude-code").path("installed_events").asInt()).as("complete")
                .isEqualTo(status.path("hooks").path("claude-code").path("expected_events").asInt()).isEqualTo(11);
        assertThat(status.path("server").path("running").asBoolean()).isFalse();
    }

    @Test
    void reInitSwitchesModesCleanlyEitherWayAndUninstallRemovesBoth() throws Exception {
        String original = JSON.readTree(InitCommandTest.USER_SETTINGS).toString();
        init();
        init("--mode", "command");
        Map<String, List<String>> command = ours();
        assertThat(command.values()).allSatisfy(hs -> assertThat(hs).singleElement().asString()
                .startsWith("command ").endsWith("hook --agent claude-code"));
        assertThat(command).hasSize(ClaudeHookInstaller.EVENTS.size());
        init("--mode", "server");
        init();
        assertThat(ours().values().stream().filter(hs -> hs.get(0).startsWith("http ")).count())
                .isEqualTo(ClaudeHookInstaller.HTTP_EVENTS.size());
        assertThat(ours().values()).allSatisfy(hs -> assertThat(hs).hasSize(1));

        TestEnv.Result u = env.run(project, "uninstall", "-y");
        assertThat(u.code()).as(u.toString()).isZero();
        assertThat(JSON.readTree(settings.toFile()).toString()).as("only the user's settings are left").isEqualTo(original);
    }

    @Test
    void aStaleTokenInTheHooksIsReported() throws Exception {
        init();
        ServerFiles files = new ServerFiles(env.dirs(), env.env());
        Files.delete(files.token());
        ServerToken.loadOrCreate(files);
        JsonNode status = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(status.path("hooks").path("claude-code").path("notes").toString()).contains("old server token");
        init();
        status = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(status.path("hooks").path("claude-code").path("notes").toString()).doesNotContain("old server token");
    }

    /**
     * A port chosen with INFINIUM_SERVER_PORT at init time is the hooks' port: the server a hook
     * starts later, when the agent's environment lacks the variable, must listen there too.
     */
    @Test
    void thePortInitChoseIsRecordedForTheServerAHookStartsLater() throws Exception {
        int chosen = Integer.parseInt(env.env().get(ServerFiles.PORT_VARIABLE));
        init();
        ServerFiles recorded = new ServerFiles(env.dirs(), env.env());
        assertThat(Files.readString(recorded.portSetting()).strip()).isEqualTo(String.valueOf(chosen));

        env.with(ServerFiles.PORT_VARIABLE, null); // the agent's environment, where nobody set it
        assertThat(new ServerFiles(env.dirs(), env.env()).port()).isEqualTo(chosen);
        assertThat(notes()).doesNotContain("NOT tracing tool failures");

        int other = chosen == 65000 ? 65001 : 65000;
        env.with(ServerFiles.PORT_VARIABLE, String.valueOf(other));
        assertThat(notes()).contains("those hooks post to port " + chosen + ", but a server started now listens on " + other);
        init();
        assertThat(ours().values()).allSatisfy(hs -> assertThat(hs.get(0)).doesNotContain(":" + chosen + "/"));
        env.with(ServerFiles.PORT_VARIABLE, null);
        assertThat(new ServerFiles(env.dirs(), env.env()).port()).isEqualTo(other);
        assertThat(notes()).doesNotContain("NOT tracing tool failures");
    }

    String notes() throws Exception {
        return JSON.readTree(env.run(project, "status", "--json").out()).path("hooks").path("claude-code").path("notes").toString();
    }

    @Test
    void anUnknownModeIsAUsageError() {
        TestEnv.Result r = env.run(project, "init", "--no-interactive", "--agent", "claude-code", "--agent-id", "agent-srv",
                "--agent-secret", "server-mode-secret", "--mode", "daemon");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--mode is server or command");
    }
}
