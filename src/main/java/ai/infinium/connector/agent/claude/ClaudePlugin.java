package ai.infinium.connector.agent.claude;

import ai.infinium.connector.config.PluginOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the infinium Claude Code plugin is enabled for a project: an {@code infinium@<marketplace>}
 * key set to true in {@code enabledPlugins} of the user's Claude settings ({@code
 * $CLAUDE_CONFIG_DIR/settings.json}, else {@code ~/.claude/settings.json}: where {@code claude
 * plugin install} writes it, and {@code claude plugin uninstall} removes it) or of the project's
 * {@code .claude/settings.json} / {@code settings.local.json} (project and local scope).
 */
public final class ClaudePlugin {
    public static final String NAME = "infinium";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClaudePlugin() {}

    /** The enabled plugin ids ({@code infinium@…}) that apply in {@code project}; empty when none. */
    public static List<String> enabledIn(Path project, Map<String, String> env, Path home) {
        List<String> out = new ArrayList<>();
        for (Path f : List.of(userSettings(env, home), project.resolve(".claude").resolve("settings.json"),
                project.resolve(".claude").resolve("settings.local.json"))) {
            for (String id : enabledIds(f)) {
                if (!out.contains(id)) {
                    out.add(id);
                }
            }
        }
        return out;
    }

    /**
     * The plugin's options as read outside its hooks: the non-sensitive ones, from {@code
     * pluginConfigs} of the user's settings, where {@code claude plugin configure} saves them (the
     * secret is in Claude Code's own storage, which infinium does not read). {@link PluginOptions#NONE}
     * when the plugin is not enabled for the user or has none set.
     */
    public static PluginOptions configuredOptions(Map<String, String> env, Path home) {
        Path settings = userSettings(env, home);
        for (String id : enabledIds(settings)) {
            try {
                JsonNode options = JSON.readTree(settings.toFile()).path("pluginConfigs").path(id).path("options");
                PluginOptions o = new PluginOptions(text(options, PluginOptions.AGENT_ID), null,
                        text(options, PluginOptions.BASE_URL), settings.toString());
                if (!o.isEmpty()) {
                    return o;
                }
            } catch (IOException unreadable) {
                return PluginOptions.NONE;
            }
        }
        return PluginOptions.NONE;
    }

    private static String text(JsonNode options, String key) {
        JsonNode v = options.path(key);
        return v.isTextual() ? v.asText() : null;
    }

    /** {@code $CLAUDE_CONFIG_DIR/settings.json}, else {@code ~/.claude/settings.json}. */
    static Path userSettings(Map<String, String> env, Path home) {
        String configDir = env.get("CLAUDE_CONFIG_DIR");
        Path user = configDir != null && !configDir.isBlank() ? Path.of(configDir) : home.resolve(".claude");
        return user.resolve("settings.json");
    }

    private static List<String> enabledIds(Path settings) {
        List<String> ids = new ArrayList<>();
        if (!Files.isRegularFile(settings)) {
            return ids;
        }
        try {
            JsonNode enabled = JSON.readTree(settings.toFile()).path("enabledPlugins");
            enabled.fieldNames().forEachRemaining(id -> {
                if (id.startsWith(NAME + "@") && enabled.path(id).asBoolean(false)) {
                    ids.add(id);
                }
            });
        } catch (IOException unreadable) {
            // Claude Code cannot read it either: no plugin enabled there
        }
        return ids;
    }
}
