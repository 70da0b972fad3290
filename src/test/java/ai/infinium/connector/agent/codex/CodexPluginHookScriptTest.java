package ai.infinium.connector.agent.codex;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ai.infinium.connector.testing.HookScriptRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * plugins/codex/hooks/infinium-hook, run by sh as Codex runs it: from a copy of the plugin in
 * Codex's cache, finding the launcher, or exiting 0 silently without one.
 */
class CodexPluginHookScriptTest {
    static final Path SCRIPT = Path.of("plugins", "codex", "hooks", "infinium-hook").toAbsolutePath();
    static final String EVENT = "{\"hook_event_name\":\"Stop\",\"session_id\":\"s1\"}";

    @TempDir Path tmp;
    HookScriptRun script;
    Path codexHome;
    Path cached;

    /** The plugin as Codex 0.169.0 installs it: $CODEX_HOME/plugins/cache/<marketplace>/<plugin>/<version>/. */
    @BeforeEach
    void setUp() throws Exception {
        script = new HookScriptRun(tmp);
        codexHome = tmp.resolve("codex-home");
        cached = Files.createDirectories(codexHome.resolve("plugins/cache/infinium/infinium/0.1.0/hooks")).getParent();
        Files.copy(SCRIPT, cached.resolve("hooks/infinium-hook"));
    }

    /** With the variables Codex 0.169.0 gave the plugin's hooks (seen: both pairs, pointing at the cache). */
    HookScriptRun.Run run(Map<String, String> extra) throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        env.putAll(Map.of("PATH", "/usr/bin:/bin", "HOME", tmp.resolve("home").toString(), "CODEX_HOME",
                codexHome.toString(), "PLUGIN_ROOT", cached.toString(), "CLAUDE_PLUGIN_ROOT", cached.toString()));
        env.putAll(extra);
        return script.run(cached.resolve("hooks/infinium-hook"), env, EVENT);
    }

    Path fakeLauncher(Path at) throws Exception {
        return script.fakeLauncher(at);
    }

    List<String> called() throws Exception {
        return script.calledLines();
    }

    @Test
    void withNoLauncherAnywhereItExitsZeroAndSaysNothing() throws Exception {
        assertThat(run(Map.of())).isEqualTo(new HookScriptRun.Run(0, "", ""));
        Files.writeString(codexHome.resolve("config.toml"), "[marketplaces.infinium]\nsource_type = \"local\"\n"
                + "source = \"" + tmp.resolve("deleted") + "\"\n");
        assertThat(run(Map.of())).as("the local marketplace was deleted").isEqualTo(new HookScriptRun.Run(0, "", ""));
        assertThat(script.called()).doesNotExist();
    }

    @Test
    void itRunsTheLauncherInitRecordedWithTheEventOnStdin() throws Exception {
        Path launcher = fakeLauncher(tmp.resolve("opt/infinium/bin/infinium"));
        Files.createDirectories(tmp.resolve("home/.config/infinium"));
        Files.writeString(tmp.resolve("home/.config/infinium/launcher"), launcher + "\n");
        // a marketplace clone too: the recorded launcher, what the user set up, comes first
        fakeLauncher(codexHome.resolve(".tmp/marketplaces/infinium/bin/infinium"));
        Files.writeString(launcher, Files.readString(launcher).replace("printf '%s", "printf 'recorded %s"));
        assertThat(run(Map.of())).isEqualTo(new HookScriptRun.Run(0, "", ""));
        assertThat(called()).isEqualTo(List.of("recorded hook --agent codex --via plugin", EVENT));
    }

    /** Seen with a git URL: Codex clones the whole repository to $CODEX_HOME/.tmp/marketplaces/<name>/. */
    @Test
    void itFallsBackToAGitMarketplacesClone() throws Exception {
        fakeLauncher(codexHome.resolve(".tmp/marketplaces/infinium/bin/infinium"));
        assertThat(run(Map.of()).code()).isZero();
        assertThat(called()).isEqualTo(List.of("hook --agent codex --via plugin", EVENT));
    }

    /** A local marketplace: the directory `codex plugin marketplace add <dir>` wrote into config.toml. */
    @Test
    void itFallsBackToALocalMarketplacesDirectoryAndOnlyThatMarketplaces() throws Exception {
        Path repo = tmp.resolve("src/infinium");
        Path other = tmp.resolve("src/other");
        fakeLauncher(repo.resolve("bin/infinium"));
        fakeLauncher(other.resolve("bin/infinium"));
        Files.writeString(other.resolve("bin/infinium"),
                Files.readString(other.resolve("bin/infinium")).replace("printf '%s", "printf 'wrong %s"));
        Files.writeString(codexHome.resolve("config.toml"), "model = \"m\"\n\n[marketplaces.other]\nsource_type = \"local\"\n"
                + "source = \"" + other + "\"\n\n[marketplaces.infinium]\nsource_type = \"local\"\nsource = \"" + repo
                + "\"\n\n[plugins.\"infinium@infinium\"]\nenabled = true\n");
        assertThat(run(Map.of()).code()).isZero();
        assertThat(called()).isEqualTo(List.of("hook --agent codex --via plugin", EVENT));
    }
}
