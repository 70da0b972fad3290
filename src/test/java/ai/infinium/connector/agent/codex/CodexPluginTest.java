package ai.infinium.connector.agent.codex;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading config.toml as Codex 0.169.0 writes it after `codex plugin add` and trusting the hooks. */
class CodexPluginTest {
    @TempDir Path tmp;

    /** The tables Codex wrote, copied from a real run (hashes shortened: we only look for their presence). */
    static String config(int trustedHandlers) {
        StringBuilder s = new StringBuilder("""
                [marketplaces.infinium]
                source_type = "local"
                source = "/opt/infinium"

                [plugins."infinium@infinium"]
                enabled = true

                [plugins."other@infinium"]
                enabled = true

                [hooks.state]
                """);
        CodexEvent[] events = CodexEvent.values();
        for (int i = 0; i < trustedHandlers; i++) {
            s.append("\n[hooks.state.\"infinium@infinium:hooks/hooks.json:").append(CodexHookTrust.snake(events[i].hookName()))
                    .append(":0:0\"]\ntrusted_hash = \"sha256:aa\"\ntrusted_content_hash = \"sha256:bb\"\n");
        }
        return s.toString();
    }

    Map<String, String> env(String toml) throws Exception {
        Path codexHome = Files.createDirectories(tmp.resolve("codex-home"));
        Files.writeString(codexHome.resolve("config.toml"), toml);
        return Map.of("CODEX_HOME", codexHome.toString());
    }

    @Test
    void theEnabledPluginAndItsTrustedHooksAreRead() throws Exception {
        Map<String, String> env = env(config(CodexEvent.values().length));
        assertThat(CodexPlugin.enabledIn(env, tmp)).containsExactly("infinium@infinium");
        assertThat(CodexPlugin.trust(env, tmp, "infinium@infinium").trusted()).isEqualTo(14);
        assertThat(CodexPlugin.trust(env, tmp, "infinium@infinium").line()).isEqualTo("plugin hooks trusted in Codex (14/14)");
    }

    @Test
    void partlyTrustedHooksAreCountedAndTheStepNamed() throws Exception {
        Map<String, String> env = env(config(5));
        assertThat(CodexPlugin.trust(env, tmp, "infinium@infinium").trusted()).isEqualTo(5);
        assertThat(CodexPlugin.trust(env, tmp, "infinium@infinium").line()).startsWith("plugin hooks trusted in Codex: 5/14")
                .contains("trust the infinium hooks");
        // another marketplace's copy of the plugin has trust keys of its own
        assertThat(CodexPlugin.trust(env, tmp, "infinium@elsewhere").trusted()).isZero();
    }

    @Test
    void aDisabledPluginOrNoFileOrBrokenTomlIsNone() throws Exception {
        assertThat(CodexPlugin.enabledIn(env("[plugins.\"infinium@infinium\"]\nenabled = false\n"), tmp)).isEmpty();
        assertThat(CodexPlugin.enabledIn(env("[plugins.\"infinium@infinium\"\nenabled = true\n"), tmp)).isEmpty();
        assertThat(CodexPlugin.enabledIn(Map.of(), tmp.resolve("no-home"))).isEmpty();
    }

    @Test
    void withoutCodexHomeItIsUnderHome() {
        assertThat(CodexPlugin.configToml(Map.of(), tmp)).isEqualTo(tmp.resolve(".codex/config.toml"));
        assertThat(CodexPlugin.configToml(Map.of("CODEX_HOME", "/x"), tmp)).isEqualTo(Path.of("/x/config.toml"));
    }
}
