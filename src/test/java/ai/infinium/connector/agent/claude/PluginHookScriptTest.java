package ai.infinium.connector.agent.claude;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ai.infinium.connector.testing.HookScriptRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plugins/claude-code/hooks/infinium-hook, run by sh as Claude Code runs it: from a copy of the
 * plugin folder in Claude Code's cache, finding the launcher, or exiting 0 silently without one.
 */
class PluginHookScriptTest {
    static final Path SCRIPT = Path.of("plugins", "claude-code", "hooks", "infinium-hook").toAbsolutePath();
    static final String EVENT = "{\"hook_event_name\":\"Stop\",\"session_id\":\"s1\"}";

    @TempDir Path tmp;
    HookScriptRun script;
    Path cached;

    /** The plugin as Claude Code 2.1.330 installs it: <config>/plugins/cache/<marketplace>/<plugin>/<version>/. */
    @BeforeEach
    void setUp() throws Exception {
        script = new HookScriptRun(tmp);
        cached = Files.createDirectories(tmp.resolve("claude-config/plugins/cache/infinium/infinium/0.1.0/hooks"))
                .getParent();
        Files.copy(SCRIPT, cached.resolve("hooks/infinium-hook"));
    }

    HookScriptRun.Run run(Map<String, String> extra) throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("HOME", tmp.resolve("home").toString());
        env.put("CLAUDE_PLUGIN_ROOT", cached.toString());
        env.putAll(extra);
        return script.run(cached.resolve("hooks/infinium-hook"), env, EVENT);
    }

    Path fakeLauncher(Path at) throws Exception {
        return script.fakeLauncher(at);
    }

    @Test
    void withNoLauncherAnywhereItExitsZeroAndSaysNothing() throws Exception {
        HookScriptRun.Run r = run(Map.of());
        assertThat(r).isEqualTo(new HookScriptRun.Run(0, "", ""));
        Files.createDirectories(tmp.resolve("config/infinium"));
        Files.writeString(tmp.resolve("config/infinium/launcher"), tmp.resolve("deleted/bin/infinium") + "\n");
        assertThat(run(Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString())))
                .as("the launcher init recorded was deleted").isEqualTo(new HookScriptRun.Run(0, "", ""));
    }

    @Test
    void itRunsTheLauncherInitRecordedWithTheEventOnStdin() throws Exception {
        Path launcher = fakeLauncher(tmp.resolve("opt/infinium/bin/infinium"));
        Files.createDirectories(tmp.resolve("config/infinium"));
        Files.writeString(tmp.resolve("config/infinium/launcher"), launcher + "\n");
        HookScriptRun.Run r = run(Map.of("XDG_CONFIG_HOME", tmp.resolve("config").toString()));
        assertThat(r).isEqualTo(new HookScriptRun.Run(0, "", ""));
        assertThat(script.calledLines())
                .isEqualTo(List.of("hook --agent claude-code --via plugin", EVENT));
    }

    @Test
    void withoutXdgConfigHomeTheRecordIsUnderHome() throws Exception {
        Path launcher = fakeLauncher(tmp.resolve("opt/infinium/bin/infinium"));
        Files.createDirectories(tmp.resolve("home/.config/infinium"));
        Files.writeString(tmp.resolve("home/.config/infinium/launcher"), launcher + "\n");
        assertThat(run(Map.of()).code()).isZero();
        assertThat(script.calledLines().get(0)).isEqualTo("hook --agent claude-code --via plugin");
    }

    /** A marketplace added from a git URL: Claude Code keeps its clone, the whole repository, beside the cache. */
    @Test
    void itFallsBackToAGitMarketplacesClone() throws Exception {
        fakeLauncher(tmp.resolve("claude-config/plugins/marketplaces/infinium/bin/infinium"));
        assertThat(run(Map.of()).code()).isZero();
        assertThat(script.calledLines().get(0)).isEqualTo("hook --agent claude-code --via plugin");
    }

    /** Loaded in place (claude --plugin-dir plugins/claude-code): the repository's own launcher. */
    @Test
    void inPlaceItRunsTheRepositorysLauncher() throws Exception {
        Path repo = tmp.resolve("repo");
        Path plugin = Files.createDirectories(repo.resolve("plugins/claude-code/hooks")).getParent();
        Files.copy(SCRIPT, plugin.resolve("hooks/infinium-hook"));
        fakeLauncher(repo.resolve("bin/infinium"));
        cached = plugin;
        assertThat(run(Map.of()).code()).isZero();
        assertThat(script.calledLines().get(0)).isEqualTo("hook --agent claude-code --via plugin");
    }

    /** The plugin's hooks fire in every project: outside a set-up one, bin/infinium starts no JVM. */
    @Test
    void theLauncherStartsNoJvmForAPluginEventOutsideASetUpProject() throws Exception {
        Path java = fakeLauncher(tmp.resolve("fake-jdk/bin/java"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        ProcessBuilder pb = new ProcessBuilder(Path.of("bin", "infinium").toAbsolutePath().toString(), "hook", "--agent",
                "claude-code", "--via", "plugin");
        pb.environment().clear();
        pb.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "HOME", tmp.resolve("home").toString(), "INFINIUM_JAVA",
                java.toString(), "INFINIUM_NO_BUILD", "1", "CONNECTOR_SESSION_DIR", tmp.resolve("sessions").toString()));
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(("{\"session_id\":\"s1\",\"hook_event_name\":\"Stop\",\"cwd\":\"" + elsewhere + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new HookScriptRun.Run(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err"))))
                .isEqualTo(new HookScriptRun.Run(0, "", ""));
        assertThat(script.called()).as("no JVM started").doesNotExist();
        assertThat(tmp.resolve("sessions")).doesNotExist();
    }

}
