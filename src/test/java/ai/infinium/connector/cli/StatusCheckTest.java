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

/**
 * {@code status} says "active" only when a trace would really go out: a launcher moved or deleted
 * after {@code init}, a hook command that fails, a missing secret each make it say what is wrong
 * and how to fix it, and exit 1.
 */
class StatusCheckTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    TestEnv env;
    Path project;
    Path launcher;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("my project"));
        Files.createDirectories(project.resolve(".claude"));
        // A launcher of our own, like bin/infinium: it runs this build's classes.
        Path bin = Files.createDirectories(tmp.resolve("install dir/bin"));
        launcher = bin.resolve("infinium");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(launcher, "#!/bin/sh\nexec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' ai.infinium.connector.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        env = new TestEnv(tmp).with("INFINIUM_LAUNCHER", launcher.toString());
        TestEnv.Result init = env.run(project, "init", "--no-interactive", "--agent", "claude-code", "--mode", "command",
                "--agent-id", "agent-s", "--agent-secret", "secret-of-agent-s", "--base-url", "http://127.0.0.1:9/api/v1");
        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(Files.readString(project.resolve(".claude/settings.local.json"))).contains(launcher.toString());
    }

    JsonNode statusJson() throws Exception {
        return JSON.readTree(env.run(project, "status", "--json").out());
    }

    @Test
    void aWorkingInstallIsActive() throws Exception {
        TestEnv.Result r = env.run(project, "status");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Tracing:      active in " + project).doesNotContain("NOT TRACING");
        assertThat(statusJson().path("problems")).isEmpty();
    }

    @Test
    void aDeletedLauncherIsNotTracingWithTheFix() throws Exception {
        Files.delete(launcher);
        TestEnv.Result r = env.run(project, "status");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("Tracing:      not tracing in " + project)
                .contains("NOT TRACING Claude Code: the hooks run " + launcher + ", which no longer exists")
                .contains("run `infinium init` again in " + project);
        JsonNode j = statusJson();
        assertThat(j.path("tracing").asText()).isEqualTo("not tracing");
        assertThat(j.path("problems").get(0).path("agent").asText()).isEqualTo("Claude Code");
        assertThat(env.run(project, "status", "--json").code()).isEqualTo(1);
    }

    @Test
    void aLauncherThatFailsIsNotTracing() throws Exception {
        Files.writeString(launcher, "#!/bin/sh\necho 'Error: Unable to access jarfile /gone/infinium.jar' >&2\nexit 1\n");
        TestEnv.Result r = env.run(project, "status");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("the hooks' command fails (exit 1: Error: Unable to access jarfile /gone/infinium.jar)");
    }

    @Test
    void aMissingSecretIsNotTracing() throws Exception {
        Files.writeString(env.dirs().config().resolve("secrets.json"), "{}");
        TestEnv.Result r = env.run(project, "status");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("NOT TRACING no secret is stored for agent agent-s; run `infinium update-credentials`");
    }

    @Test
    void removedHooksAndPauseAreNotActive() throws Exception {
        assertThat(env.run(project, "pause").code()).isZero();
        TestEnv.Result paused = env.run(project, "status");
        assertThat(paused.code()).isEqualTo(1);
        assertThat(paused.out()).contains("Tracing:      paused in " + project + " (`infinium resume` turns it back on)");
        assertThat(env.run(project, "resume").code()).isZero();

        Files.writeString(project.resolve(".claude/settings.local.json"), "{}");
        TestEnv.Result none = env.run(project, "status");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.out()).contains("NOT TRACING no agent's hooks are installed in this project; run `infinium init`");
    }

    /** Codex runs a project's hooks only in a trusted project, and each hook only once trusted in /hooks. */
    @Test
    void codexHooksItWillNotRunAreNotTracing() throws Exception {
        Files.createDirectories(project.resolve(".codex"));
        env.with("CODEX_HOME", tmp.resolve("codex-home").toString());
        TestEnv.Result init = env.run(project, "init", "--no-interactive", "--agent", "codex", "--mode", "command",
                "--agent-id", "agent-s", "--agent-secret", "secret-of-agent-s", "--base-url", "http://127.0.0.1:9/api/v1");
        assertThat(init.code()).as(init.toString()).isZero();
        TestEnv.Result r = env.run(project, "status");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("Tracing:      partly tracing in " + project)
                .contains("NOT TRACING Codex: Codex reads no .codex/hooks.json in a project it does not trust; "
                        + "run `infinium init --trust-project`")
                .contains("NOT TRACING Codex: Codex has trusted 0 of our")
                .doesNotContain("NOT TRACING Claude Code");

        assertThat(env.run(project, "init", "--no-interactive", "--agent", "codex", "--mode", "command", "--trust-project")
                .code()).isZero();
        assertThat(env.run(project, "status").out()).doesNotContain("does not trust")
                .contains("start `codex` in the project and trust them with /hooks");
    }

    /** A damaged outbox entry is set aside and named; status and retry keep working (issue 9). */
    @Test
    void aDamagedOutboxEntryIsSetAsideAndNamed() throws Exception {
        Path outbox = Files.createDirectories(env.dirs().state().resolve("outbox"));
        Files.writeString(outbox.resolve("inf-0123456789abcdef0123456789abcdef.json"), "{\"key\":\"inf-01234");
        TestEnv.Result status = env.run(project, "status");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).contains("Damaged:      1 unreadable outbox entry set aside in " + outbox.resolve("damaged"));
        assertThat(outbox.resolve("damaged/inf-0123456789abcdef0123456789abcdef.json")).exists();
        TestEnv.Result retry = env.run(project, "retry");
        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(retry.out()).contains("Damaged: 1 unreadable outbox entry set aside in " + outbox.resolve("damaged"));
        assertThat(statusJson().path("damaged").get(0).asText()).contains("set aside");
    }

    @Test
    void theExecutableIsReadBackAsTheShellWouldRunIt() {
        assertThat(HookCommandLine.executable("'/a b/it'\\''s/infinium' hook --agent x")).isEqualTo("/a b/it's/infinium");
        assertThat(HookCommandLine.executable("/usr/bin/infinium hook")).isEqualTo("/usr/bin/infinium");
        assertThat(HookCommandLine.executable("\"/x y/infinium\" hook")).isEqualTo("/x y/infinium");
        assertThat(HookCommandLine.executable("/x\\ y/infinium hook")).isEqualTo("/x y/infinium");
        String written = HookCommandLine.quote("/tmp/it's here/bin/infinium");
        assertThat(HookCommandLine.executable(written + " hook --agent codex")).isEqualTo("/tmp/it's here/bin/infinium");
    }
}
