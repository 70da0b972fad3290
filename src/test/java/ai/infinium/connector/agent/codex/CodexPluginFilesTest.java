package ai.infinium.connector.agent.codex;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.JsonHookSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Codex plugin in the repository (.agents/plugins/marketplace.json, plugins/codex/) against the
 * one event table: its hooks.json must hook every {@link CodexEvent}, as {@code init --agent codex}
 * does, with the plugin's hook script as the command, so the two never drift apart.
 */
class CodexPluginFilesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path PLUGIN = Path.of("plugins", "codex");
    /** Codex 0.169.0 expands ${CLAUDE_PLUGIN_ROOT} in a plugin's hook commands to its cache folder (seen in hooks/list). */
    static final String COMMAND = "\"${CLAUDE_PLUGIN_ROOT}/hooks/infinium-hook\"";

    @TempDir Path tmp;

    @Test
    void hooksJsonHooksEveryEventOfTheTableWithThePluginsScript() throws Exception {
        JsonNode plugin = JSON.readTree(PLUGIN.resolve("hooks/hooks.json").toFile());
        // init's hooks with the timeouts Codex grants: it clamps SessionEnd and Interrupt to 3 s
        // and warns in /hooks about more (seen with 0.169.0 for Interrupt at 30 s).
        JsonNode expected = new JsonHookSettings(tmp.resolve("hooks.json"), CodexHookInstaller.EVENTS, Codex.NAME,
                Map.of("SessionEnd", 3, "Interrupt", 3)).withOurs(COMMAND);
        assertThat(plugin.path("hooks")).as("plugins/codex/hooks/hooks.json: regenerate it from CodexEvent")
                .isEqualTo(expected.path("hooks"));
        assertThat(CodexHookInstaller.EVENTS).hasSize(CodexEvent.values().length);
    }

    @Test
    void theMarketplaceListsThePluginByTheNameItsManifestGives() throws Exception {
        JsonNode market = JSON.readTree(Path.of(".agents", "plugins", "marketplace.json").toFile());
        JsonNode manifest = JSON.readTree(PLUGIN.resolve(".codex-plugin/plugin.json").toFile());
        // The marketplace's name is the part after @ in the plugin id, in config.toml and in the trust keys.
        assertThat(market.path("name").asText()).isEqualTo("infinium");
        assertThat(market.path("plugins")).hasSize(1);
        JsonNode entry = market.path("plugins").get(0);
        assertThat(entry.path("name").asText()).isEqualTo(CodexPlugin.NAME).isEqualTo(manifest.path("name").asText());
        assertThat(entry.path("source").path("source").asText()).isEqualTo("local");
        assertThat(Path.of(entry.path("source").path("path").asText()).normalize()).isEqualTo(PLUGIN);
        assertThat(manifest.path("version").asText()).as("Codex caches the plugin under its version").isNotBlank();
        // The trust keys name the hooks file as the manifest does: CodexPlugin reads them so.
        assertThat(Path.of(manifest.path("hooks").asText()).normalize()).isEqualTo(Path.of(CodexPlugin.HOOKS_FILE));
        Path script = PLUGIN.resolve("hooks/infinium-hook");
        assertThat(Files.isExecutable(script)).as("git keeps the mode: 100755").isTrue();
        assertThat(Files.readString(script)).contains("exec \"$1\" hook --agent codex --via plugin");
    }
}
