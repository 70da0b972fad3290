package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code init --no-hooks} for the Claude Code plugin, and what {@code status} says of the plugin's hooks. */
class PluginInitTest {
    static final String SECRET = "s3cret-value-XYZ";
    static final String OTHER_HOOKS = "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"notify-send\"}]}]}}";

    @TempDir Path tmp;
    TestEnv env;
    Path project;
    Path launcher;

    @BeforeEach
    void setUp() throws Exception {
        launcher = Files.createDirectories(tmp.resolve("opt/infinium/bin")).resolve("infinium");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        env = new TestEnv(tmp).with("INFINIUM_LAUNCHER", launcher.toString())
                .with("CLAUDE_CONFIG_DIR", tmp.resolve("claude-config").toString());
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.local.json"), OTHER_HOOKS);
    }

    TestEnv.Result init(String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("init", "--no-interactive",
                "--agent-id", "agent-abc", "--agent-secret", SECRET, "--base-url", "http://127.0.0.1:9/api/v1", "--no-check"));
        args.addAll(java.util.List.of(extra));
        return env.run(project, args.toArray(String[]::new));
    }

    void enablePlugin() throws Exception {
        Files.createDirectories(tmp.resolve("claude-config"));
        Files.writeString(tmp.resolve("claude-config/settings.json"),
                "{\"enabledPlugins\":{\"infinium@infinium\":true,\"other@x\":true}}");
    }

    @Test
    void noHooksWritesConfigAndSecretRecordsTheLauncherAndTouchesNoAgentFile() throws Exception {
        TestEnv.Result r = init("--no-hooks");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(project.resolve(".infinium/config.json")).exists();
        assertThat(env.context().secrets().get("agent-abc")).contains(SECRET);
        assertThat(Files.readString(project.resolve(".claude/settings.local.json"))).isEqualTo(OTHER_HOOKS);
        assertThat(Files.readString(tmp.resolve("config/infinium/launcher"))).isEqualTo(launcher + "\n");
        assertThat(r.out()).contains("none (--no-hooks)").contains("the plugins run " + launcher)
                .contains("claude plugin install infinium@infinium");
    }

    @Test
    void noHooksWithModeIsAUsageError() {
        assertThat(init("--no-hooks", "--mode", "command").code()).isEqualTo(Command.USAGE);
    }

    @Test
    void statusCountsThePluginsHooksAsTheProjectsHooks() throws Exception {
        init("--no-hooks");
        enablePlugin();
        TestEnv.Result s = env.run(project, "status");
        assertThat(s.out()).contains("Claude Code: hooks from the plugin infinium@infinium (user-wide; none in")
                .doesNotContain("no agent's hooks are installed");
    }

    @Test
    void statusSaysWhenThePluginsHooksAreIgnoredBesideInitsHooks() throws Exception {
        assertThat(init("--agent", "claude-code", "--mode", "command").code()).isZero();
        enablePlugin();
        TestEnv.Result s = env.run(project, "status");
        assertThat(s.out()).contains("hooks installed both by the plugin (infinium@infinium) and in "
                + project.resolve(".claude/settings.local.json") + "; the plugin's are ignored here");
        TestEnv.Result again = init("--no-hooks");
        assertThat(again.out()).contains("the hooks an earlier `infinium init` put in .claude/ stay");
    }
}
