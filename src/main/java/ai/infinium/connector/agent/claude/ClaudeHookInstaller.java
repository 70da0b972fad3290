package ai.infinium.connector.agent.claude;

import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.JsonSettingsFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * Installs our command hooks into a project's {@code .claude/settings.local.json} (personal,
 * not committed; Claude Code merges it with the other settings files). Everything else in the
 * file stays as it was; our handlers are recognised by their command, so installing twice
 * leaves one set and removal takes out only ours.
 */
public final class ClaudeHookInstaller {
    public static final List<String> EVENTS = List.of("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse",
            "PostToolUseFailure", "PermissionDenied", "SubagentStart", "SubagentStop", "PreCompact", "PostCompact",
            "Stop", "StopFailure", "SessionEnd");
    static final int TIMEOUT_SECONDS = 30;

    private final JsonSettingsFile file;

    public ClaudeHookInstaller(Path projectDir) {
        this.file = new JsonSettingsFile(projectDir.resolve(".claude").resolve("settings.local.json"));
    }

    public Path settingsFile() {
        return file.path();
    }

    public void install(String command) throws ConfigException, IOException {
        ObjectNode root = file.read();
        removeOurs(root);
        JsonNode h = root.get("hooks");
        ObjectNode hooks = h instanceof ObjectNode ? (ObjectNode) h : root.putObject("hooks");
        for (String event : EVENTS) {
            JsonNode existing = hooks.get(event);
            ArrayNode groups = existing instanceof ArrayNode ? (ArrayNode) existing : hooks.putArray(event);
            ObjectNode handler = groups.addObject().putArray("hooks").addObject();
            handler.put("type", "command");
            handler.put("command", command);
            handler.put("timeout", TIMEOUT_SECONDS);
        }
        file.write(root);
    }

    /** Removes our handlers; returns how many there were. */
    public int uninstall() throws ConfigException, IOException {
        if (!file.exists()) {
            return 0;
        }
        ObjectNode root = file.read();
        int n = removeOurs(root);
        if (n > 0) {
            file.write(root);
        }
        return n;
    }

    /** How many of the events have our handler installed. */
    public int installedCount() throws ConfigException {
        if (!file.exists()) {
            return 0;
        }
        JsonNode hooks = file.read().path("hooks");
        int n = 0;
        for (String event : EVENTS) {
            boolean found = false;
            for (JsonNode group : hooks.path(event)) {
                for (JsonNode handler : group.path("hooks")) {
                    found |= isOurs(handler);
                }
            }
            n += found ? 1 : 0;
        }
        return n;
    }

    static boolean isOurs(JsonNode handler) {
        String cmd = handler.path("command").asText("");
        return cmd.contains("infinium") && cmd.contains(" hook") && cmd.contains("--agent claude-code");
    }

    private static int removeOurs(ObjectNode root) {
        JsonNode h = root.get("hooks");
        if (!(h instanceof ObjectNode)) {
            return 0;
        }
        ObjectNode hooks = (ObjectNode) h;
        int removed = 0;
        Iterator<String> events = hooks.fieldNames();
        List<String> emptied = new java.util.ArrayList<>();
        while (events.hasNext()) {
            String event = events.next();
            JsonNode groups = hooks.get(event);
            if (!(groups instanceof ArrayNode)) {
                continue;
            }
            int before = removed;
            for (int g = groups.size() - 1; g >= 0; g--) {
                JsonNode group = groups.get(g);
                JsonNode handlers = group.get("hooks");
                if (!(handlers instanceof ArrayNode)) {
                    continue;
                }
                ArrayNode arr = (ArrayNode) handlers;
                for (int i = arr.size() - 1; i >= 0; i--) {
                    if (isOurs(arr.get(i))) {
                        arr.remove(i);
                        removed++;
                    }
                }
                if (arr.isEmpty() && removed > before) {
                    ((ArrayNode) groups).remove(g);
                }
            }
            if (groups.isEmpty() && removed > before) {
                emptied.add(event);
            }
        }
        if (removed > 0) {
            emptied.forEach(hooks::remove);
            if (hooks.isEmpty()) {
                root.remove("hooks");
            }
        }
        return removed;
    }
}
