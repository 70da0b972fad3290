package ai.infinium.connector.agent.claude;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.JsonHookSettings;
import ai.infinium.connector.config.PluginOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Claude Code plugin in the repository (.claude-plugin/marketplace.json, plugins/claude-code/)
 * against the one event table: its hooks.json must be exactly what {@code init --mode command}
 * installs, events, timeouts and all, with the plugin's hook script as the command, so the two
 * never drift apart.
 */
class ClaudePluginFilesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path PLUGIN = Path.of("plugins", "claude-code");
    static final String COMMAND = "\"${CLAUDE_PLUGIN_ROOT}/hooks/infinium-hook\"";

    @TempDir Path tmp;

    @Test
    void hooksJsonIsWhatInitInstallsInCommandModeForEveryEventOfTheTable() throws Exception {
        JsonNode plugin = JSON.readTree(PLUGIN.resolve("hooks/hooks.json").toFile());
        JsonNode init = new JsonHookSettings(tmp.resolve("settings.local.json"), ClaudeHookInstaller.EVENTS,
                ClaudeCode.NAME).withOurs(COMMAND);
        assertThat(plugin.path("hooks")).as("plugins/claude-code/hooks/hooks.json: regenerate it from ClaudeCodeEvent")
                .isEqualTo(init.path("hooks"));
        assertThat(ClaudeHookInstaller.EVENTS).as("server mode leaves no event out of the table").hasSize(
                ClaudeCodeEvent.values().length);
    }

    @Test
    void theMarketplaceListsThePluginByTheNameItsManifestGives() throws Exception {
        JsonNode market = JSON.readTree(Path.of(".claude-plugin", "marketplace.json").toFile());
        JsonNode manifest = JSON.readTree(PLUGIN.resolve(".claude-plugin/plugin.json").toFile());
        assertThat(market.path("plugins")).hasSize(1);
        JsonNode entry = market.path("plugins").get(0);
        assertThat(entry.path("name").asText()).isEqualTo(ClaudePlugin.NAME).isEqualTo(manifest.path("name").asText());
        assertThat(Path.of(entry.path("source").asText()).normalize()).isEqualTo(PLUGIN);
        assertThat(entry.path("version").asText()).isEqualTo(manifest.path("version").asText());
        assertThat(Files.isExecutable(PLUGIN.resolve("hooks/infinium-hook"))).as("git keeps the mode: 100755").isTrue();
    }

    /** The option keys Claude Code turns into CLAUDE_PLUGIN_OPTION_<KEY> are the ones the resolver reads. */
    @Test
    void theManifestDeclaresTheOptionsTheConnectorReadsWithTheSecretSensitive() throws Exception {
        JsonNode options = JSON.readTree(PLUGIN.resolve(".claude-plugin/plugin.json").toFile()).path("userConfig");
        List<String> keys = new java.util.ArrayList<>();
        options.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(PluginOptions.KEYS);
        for (String key : keys) {
            assertThat(options.path(key).path("type").asText()).as(key).isEqualTo("string");
            assertThat(options.path(key).path("required").asBoolean(false)).as("%s: a project can have its own", key).isFalse();
            assertThat(options.path(key).path("sensitive").asBoolean(false)).as(key)
                    .isEqualTo(key.equals(PluginOptions.AGENT_SECRET));
        }
    }
}
