package ai.infinium.connector.agent.codex;

import ai.infinium.connector.config.TomlTree;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The infinium Codex plugin as Codex 0.169.0 records it in {@code $CODEX_HOME/config.toml} (default
 * {@code ~/.codex/config.toml}), all seen with the real binary: {@code codex plugin add
 * infinium@<marketplace>} writes {@code [plugins."infinium@<marketplace>"] enabled = true} ({@code
 * codex plugin remove} takes it out), and trusting the plugin's hooks in Codex's review dialog
 * writes one {@code [hooks.state."infinium@<marketplace>:hooks/hooks.json:<event>:0:0"]} table per
 * handler with {@code trusted_hash} (the handler) and {@code trusted_content_hash} (the whole
 * plugin folder). We can see that trust was recorded, not recompute the hashes: Codex asks again by
 * itself when the plugin changed since.
 */
public final class CodexPlugin {
    public static final String NAME = "infinium";

    /** The plugin's hooks file, relative to its root, as Codex names it in the trust keys. */
    static final String HOOKS_FILE = "hooks/hooks.json";

    private CodexPlugin() {}

    /** Where Codex keeps its config: {@code $CODEX_HOME/config.toml}, else {@code ~/.codex/config.toml}. */
    public static Path configToml(Map<String, String> env, Path home) {
        String codexHome = env.get("CODEX_HOME");
        return (codexHome == null || codexHome.isBlank() ? home.resolve(".codex") : Path.of(codexHome))
                .resolve("config.toml");
    }

    /** The enabled plugin ids ({@code infinium@…}); empty when none, or when config.toml is unreadable. */
    public static List<String> enabledIn(Map<String, String> env, Path home) {
        JsonNode toml = read(configToml(env, home));
        List<String> ids = new ArrayList<>();
        JsonNode plugins = toml.path("plugins");
        plugins.fieldNames().forEachRemaining(id -> {
            if (id.startsWith(NAME + "@") && plugins.path(id).path("enabled").asBoolean(false)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /**
     * How many of plugin {@code id}'s handlers (one per {@link CodexEvent}) Codex has a trusted
     * hash for, read once for all that status and doctor say about it.
     */
    public static Trust trust(Map<String, String> env, Path home, String id) {
        JsonNode state = read(configToml(env, home)).path("hooks").path("state");
        int trusted = 0;
        for (CodexEvent e : CodexEvent.values()) {
            if (state.path(key(id, e.hookName())).has("trusted_hash")) {
                trusted++;
            }
        }
        return new Trust(trusted);
    }

    /** The trust Codex recorded for the plugin's hooks: it runs only trusted ones, and skips the rest silently. */
    public record Trust(int trusted) {
        public static final int ALL = CodexEvent.values().length;
        public static final String FIX = "start `codex`, choose Review hooks or /hooks, and trust the infinium hooks";

        public boolean complete() {
            return trusted == ALL;
        }

        /** What status and doctor say about it. */
        public String line() {
            return complete() ? "plugin hooks trusted in Codex (" + trusted + "/" + ALL + ")"
                    : "plugin hooks trusted in Codex: " + trusted + "/" + ALL + " (" + FIX + ")";
        }
    }

    /** Codex's trust key for the plugin's handler of {@code event}: the plugin id, its hooks file, event in snake case, indexes. */
    static String key(String id, String event) {
        return id + ":" + HOOKS_FILE + ":" + CodexHookTrust.snake(event) + ":0:0";
    }

    /** The parsed file; an empty tree when it is missing or not valid TOML (Codex would not start: init says so). */
    private static JsonNode read(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                return TomlTree.parse(Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException | TomlTree.Invalid e) {
            // unreadable: as if no plugin were enabled
        }
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
}
