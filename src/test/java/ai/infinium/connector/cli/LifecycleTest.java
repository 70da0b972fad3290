package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** update-credentials, uninstall, per-project routing, precedence and file modes. */
class LifecycleTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CLAUDE_SETTINGS = InitCommandTest.USER_SETTINGS;
    static final String CODEX_HOOKS = CodexInitTest.USER_HOOKS;

    @TempDir Path tmp;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        env = new TestEnv(tmp).with("CODEX_HOME", tmp.resolve("codex-home").toString());
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve(".claude"));
        Files.createDirectories(project.resolve(".codex"));
        Files.writeString(project.resolve(".claude/settings.local.json"), CLAUDE_SETTINGS);
        Files.writeString(project.resolve(".codex/hooks.json"), CODEX_HOOKS);
    }

    TestEnv.Result init(Path dir, String agentId, String baseUrl) {
        return env.run(dir, "init", "--no-interactive", "--agent", "claude-code,codex", "--agent-id", agentId,
                "--agent-secret", "secret-of-" + agentId, "--base-url", baseUrl);
    }

    JsonNode secrets() throws Exception {
        Path f = env.dirs().config().resolve("secrets.json");
        return Files.exists(f) ? JSON.readTree(f.toFile()) : JSON.createObjectNode();
    }

    @Test
    void uninstallRestoresTheUsersFilesAndLeavesNoSecret() throws Exception {
        assertThat(init(project, "agent-un", "http://127.0.0.1:9/api/v1").code()).isZero();
        assertThat(secrets().has("agent-un")).isTrue();

        TestEnv.Result declined = env.runWithInput(project, "n\n", "uninstall");
        assertThat(declined.code()).isEqualTo(1);
        assertThat(project.resolve(".infinium")).exists();

        TestEnv.Result r = env.run(project, "uninstall", "-y");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(JSON.readTree(project.resolve(".claude/settings.local.json").toFile()))
                .isEqualTo(JSON.readTree(CLAUDE_SETTINGS));
        assertThat(JSON.readTree(project.resolve(".codex/hooks.json").toFile())).isEqualTo(JSON.readTree(CODEX_HOOKS));
        assertThat(project.resolve(".infinium")).doesNotExist();
        assertThat(secrets().has("agent-un")).isFalse();

        TestEnv.Result again = env.run(project, "uninstall", "-y");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("Nothing of infinium to remove");
    }

    @Test
    void uninstallDeletesSettingsFilesThatOnlyHeldOurHooks() throws Exception {
        Files.delete(project.resolve(".claude/settings.local.json"));
        assertThat(init(project, "agent-un2", "http://127.0.0.1:9/api/v1").code()).isZero();
        assertThat(env.run(project, "uninstall", "-y").code()).isZero();
        assertThat(project.resolve(".claude/settings.local.json")).doesNotExist();
    }

    @Test
    void updateCredentialsChangesTheSecretAndMovesItWithANewId() throws Exception {
        assertThat(init(project, "agent-old", "http://127.0.0.1:9/api/v1").code()).isZero();
        TestEnv.Result r = env.run(project, "update-credentials", "--agent-secret", "brand-new-secret");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).doesNotContain("brand-new-secret").contains("****cret");
        assertThat(secrets().path("agent-old").asText()).isEqualTo("brand-new-secret");

        assertThat(env.run(project, "update-credentials", "--agent-id", "agent-new").code()).isZero();
        assertThat(JSON.readTree(project.resolve(".infinium/config.json").toFile()).path("agent_id").asText())
                .isEqualTo("agent-new");
        assertThat(secrets().path("agent-new").asText()).isEqualTo("brand-new-secret");

        TestEnv.Result interactive = env.runWithInput(project, "\nthird-secret-99\n", "update-credentials");
        assertThat(interactive.code()).isZero();
        assertThat(secrets().path("agent-new").asText()).isEqualTo("third-secret-99");
        assertThat(env.run(project, "update-credentials", "--agent-secret", "short").code()).isEqualTo(2);
        assertThat(env.run(tmp, "update-credentials", "--agent-secret", "whatever-123").code()).isEqualTo(1);
    }

    @Test
    void eachProjectTracesToItsOwnAgent() throws Exception {
        try (FakeInfiniumApi a = FakeInfiniumApi.start("agent-a", "secret-of-agent-a");
                FakeInfiniumApi b = FakeInfiniumApi.start("agent-b", "secret-of-agent-b")) {
            Path projectB = Files.createDirectories(tmp.resolve("project-b"));
            assertThat(init(project, "agent-a", a.baseUrl()).code()).isZero();
            assertThat(init(projectB, "agent-b", b.baseUrl()).code()).isZero();
            Path deep = Files.createDirectories(projectB.resolve("src/main"));
            for (Path cwd : new Path[] {project, deep}) {
                String s = "s-" + cwd.getFileName();
                env.hook("claude-code", ("{\"session_id\":\"" + s + "\",\"cwd\":\"" + cwd + "\",\"prompt_id\":\"p\","
                        + "\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"from " + cwd.getFileName() + "\"}").getBytes());
                env.hook("claude-code", ("{\"session_id\":\"" + s + "\",\"cwd\":\"" + cwd + "\",\"prompt_id\":\"p\","
                        + "\"hook_event_name\":\"Stop\",\"last_assistant_message\":\"ok\"}").getBytes());
            }
            assertThat(a.awaitTraces(1, Duration.ofSeconds(10)).get(0).name()).isEqualTo("from project");
            assertThat(b.awaitTraces(1, Duration.ofSeconds(10)).get(0).name()).isEqualTo("from main");
            assertThat(a.traces()).hasSize(1);
            assertThat(b.traces()).hasSize(1);
        }
    }

    @Test
    void environmentBeatsTheProjectFileWhichBeatsTheStore() throws Exception {
        assertThat(init(project, "agent-file", "http://127.0.0.1:9/api/v1").code()).isZero();
        JsonNode s = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(s.path("agent_id").asText()).isEqualTo("agent-file");
        assertThat(s.path("agent_id_source").asText()).isEqualTo("project file");
        assertThat(s.path("secret_source").asText()).isEqualTo("file fallback");
        assertThat(s.path("base_url_source").asText()).isEqualTo("project file");

        env.with("INFINIUM_AGENT_ID", "agent-env").with("INFINIUM_AGENT_SECRET", "secret-from-env")
                .with("INFINIUM_BASE_URL", "http://127.0.0.1:8/api/v1");
        s = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(s.path("agent_id").asText()).isEqualTo("agent-env");
        assertThat(s.path("agent_id_source").asText()).isEqualTo("env");
        assertThat(s.path("secret_source").asText()).isEqualTo("env");
        assertThat(s.path("secret").asText()).isEqualTo("****-env").doesNotContain("secret-from");
        assertThat(s.path("base_url").asText()).isEqualTo("http://127.0.0.1:8/api/v1");
    }

    @Test
    void privateFilesAreReadableOnlyByTheirOwner() throws Exception {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-m", "secret-of-agent-m")) {
            assertThat(init(project, "agent-m", api.baseUrl()).code()).isZero();
            env.hook("claude-code", ("{\"session_id\":\"s\",\"cwd\":\"" + project + "\",\"prompt_id\":\"p\","
                    + "\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"x\"}").getBytes());
            api.setDown(true);
            env.hook("claude-code", ("{\"session_id\":\"s\",\"cwd\":\"" + project + "\",\"prompt_id\":\"p\","
                    + "\"hook_event_name\":\"Stop\",\"last_assistant_message\":\"y\"}").getBytes());
            api.setDown(false);
            assertThat(env.run(project, "retry").code()).isZero();
        }
        Path sessions = env.dirs().sessions().resolve("claude-code");
        assertThat(mode(env.dirs().sessions())).isEqualTo("rwx------");
        assertThat(mode(sessions)).isEqualTo("rwx------");
        assertThat(mode(sessions.resolve("s.jsonl"))).isEqualTo("rw-------");
        assertThat(mode(sessions.resolve("s.state.json"))).isEqualTo("rw-------");
        assertThat(mode(env.dirs().state().resolve("history.jsonl"))).isEqualTo("rw-------");
        assertThat(mode(env.dirs().state().resolve("infinium.log"))).isEqualTo("rw-------");
        assertThat(mode(env.dirs().config().resolve("secrets.json"))).isEqualTo("rw-------");
        assertThat(mode(env.dirs().state())).isEqualTo("rwx------");
        // Locks, markers, the index and the project's own folder too (issue 9): nothing for others to read.
        assertThat(mode(sessions.resolve("s.lock"))).isEqualTo("rw-------");
        assertThat(mode(env.dirs().state().resolve("projects.json"))).isEqualTo("rw-------");
        assertThat(mode(project.resolve(".infinium"))).isEqualTo("rwx------");
        assertThat(mode(project.resolve(".infinium/config.json"))).isEqualTo("rw-------");
        assertThat(env.run(project, "pause").code()).isZero();
        assertThat(mode(project.resolve(".infinium/paused"))).isEqualTo("rw-------");
        try (Stream<Path> outbox = Files.list(env.dirs().state().resolve("outbox"))) {
            assertThat(outbox.toList()).isEmpty();
        }
    }

    void turn(Path cwd, String session, String prompt) {
        env.hook("claude-code", ("{\"session_id\":\"" + session + "\",\"cwd\":\"" + cwd + "\",\"prompt_id\":\"p\","
                + "\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"" + prompt + "\"}").getBytes());
        env.hook("claude-code", ("{\"session_id\":\"" + session + "\",\"cwd\":\"" + cwd + "\",\"prompt_id\":\"p\","
                + "\"hook_event_name\":\"Stop\",\"last_assistant_message\":\"ok\"}").getBytes());
    }

    /** Two clones set up with one agent id: uninstalling one keeps the secret the other still sends with. */
    @Test
    void uninstallKeepsASecretAnotherProjectStillUses() throws Exception {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-shared", "secret-of-agent-shared")) {
            Path clone = Files.createDirectories(tmp.resolve("clone"));
            assertThat(init(project, "agent-shared", api.baseUrl()).code()).isZero();
            assertThat(init(clone, "agent-shared", api.baseUrl()).code()).isZero();

            TestEnv.Result first = env.run(project, "uninstall", "-y");
            assertThat(first.code()).as(first.toString()).isZero();
            assertThat(first.out()).contains("The secret of agent agent-shared stays: " + clone)
                    .doesNotContain("- the secret of agent");
            assertThat(secrets().has("agent-shared")).isTrue();
            turn(clone, "s-clone", "from the clone");
            assertThat(api.awaitTraces(1, Duration.ofSeconds(10)).get(0).name()).isEqualTo("from the clone");

            TestEnv.Result last = env.run(clone, "uninstall", "-y");
            assertThat(last.out()).contains("- the secret of agent agent-shared");
            assertThat(secrets().has("agent-shared")).as("removed with the last project").isFalse();
        }
    }

    /** A project deleted by hand, or set up again with another id, keeps nobody's secret alive. */
    @Test
    void aProjectThatNoLongerUsesTheIdDoesNotKeepItsSecret() throws Exception {
        Path gone = Files.createDirectories(tmp.resolve("gone"));
        Path moved = Files.createDirectories(tmp.resolve("moved"));
        assertThat(init(project, "agent-k", "http://127.0.0.1:9/api/v1").code()).isZero();
        assertThat(init(gone, "agent-k", "http://127.0.0.1:9/api/v1").code()).isZero();
        assertThat(init(moved, "agent-k", "http://127.0.0.1:9/api/v1").code()).isZero();
        FileTrees.delete(gone.resolve(".infinium"));
        assertThat(init(moved, "agent-other", "http://127.0.0.1:9/api/v1").code()).isZero();

        TestEnv.Result r = env.run(project, "uninstall", "-y");
        assertThat(r.out()).contains("- the secret of agent agent-k").doesNotContain("stays");
        assertThat(secrets().has("agent-k")).isFalse();
        assertThat(secrets().has("agent-other")).isTrue();
    }

    /**
     * A wrong secret gets the trace rejected (401); once update-credentials stores the right one
     * the trace goes again by itself and arrives once, and status and retry count alike.
     */
    @Test
    void fixedCredentialsResendTheTracesTheWrongOnesGotRejected() throws Exception {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-r", "the-right-secret")) {
            assertThat(env.run(project, "init", "--no-interactive", "--agent", "claude-code", "--agent-id", "agent-r",
                    "--agent-secret", "a-wrong-secret", "--base-url", api.baseUrl(), "--no-check").code()).isZero();
            turn(project, "s-r", "first try");
            api.awaitRequests(1, Duration.ofSeconds(10));
            assertThat(api.traces()).isEmpty();

            JsonNode before = JSON.readTree(env.run(project, "status", "--json").out());
            assertThat(before.path("rejected").asInt()).isEqualTo(1);
            assertThat(before.path("newest_error").asText()).contains("401");
            TestEnv.Result retry = env.run(project, "retry");
            assertThat(retry.code()).as("something is still waiting").isEqualTo(1);
            assertThat(retry.out()).contains("0 delivered, 0 still pending, 1 rejected")
                    .contains("`infinium retry --rejected` resends them").contains("Newest error:").contains("401");
            assertThat(env.run(project, "status").out()).contains("0 pending, 1 rejected");

            TestEnv.Result fixed = env.run(project, "update-credentials", "--agent-secret", "the-right-secret");
            assertThat(fixed.code()).as(fixed.toString()).isZero();
            assertThat(fixed.out()).contains("1 trace(s) the API rejected for the previous credentials are being sent again");
            assertThat(api.awaitTraces(1, Duration.ofSeconds(10)).get(0).name()).isEqualTo("first try");

            JsonNode after = JSON.readTree(env.run(project, "status", "--json").out());
            assertThat(after.path("rejected").asInt()).isZero();
            assertThat(after.path("pending").asInt()).isZero();
            assertThat(after.has("newest_error")).isFalse();
            assertThat(env.run(project, "retry").out()).contains("0 delivered, 0 still pending, 0 rejected");
            assertThat(api.traces()).as("exactly once").hasSize(1);
        }
    }

    /** Rejected for what it held (422) is not a credentials problem: only `retry --rejected` sends it again. */
    @Test
    void retryRejectedResendsWhatNothingElseWould() throws Exception {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-q", "secret-of-agent-q")) {
            assertThat(init(project, "agent-q", api.baseUrl()).code()).isZero();
            api.failNext(422);
            turn(project, "s-q", "bad payload once");
            api.awaitRequests(1, Duration.ofSeconds(10));
            assertThat(env.run(project, "update-credentials", "--agent-secret", "secret-of-agent-q").out())
                    .doesNotContain("being sent again");
            assertThat(api.traces()).isEmpty();

            TestEnv.Result dry = env.run(project, "retry", "--rejected", "--dry-run");
            assertThat(dry.out()).contains("1 trace(s) would be sent").contains("rejected, 1 attempt(s)");
            TestEnv.Result r = env.run(project, "retry", "--rejected");
            assertThat(r.code()).as(r.toString()).isZero();
            assertThat(r.out()).contains("1 rejected trace(s) queued again").contains("1 delivered, 0 still pending, 0 rejected");
            assertThat(api.traces()).hasSize(1);
        }
    }

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
