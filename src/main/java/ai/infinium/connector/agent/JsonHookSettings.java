package ai.infinium.connector.agent;

import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.JsonSettingsFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A hooks file in the shape Claude Code and Codex share ({@code {"hooks": {EVENT: [{"hooks":
 * [{"type": "command", …}]}]}}}). Our handlers are merged in beside whatever the user has and
 * recognised by their command line, so installing twice leaves one set and removal takes out
 * only ours.
 */
public final class JsonHookSettings {
    static final int TIMEOUT_SECONDS = 30;
    static final int HTTP_TIMEOUT_SECONDS = 1;

    private final JsonSettingsFile file;
    private final List<String> events;
    private final String agent;
    private final java.util.Map<String, Integer> timeouts;

    public JsonHookSettings(Path file, List<String> events, String agent) {
        this(file, events, agent, java.util.Map.of());
    }

    /** @param timeouts seconds per event where the agent wants less than the default 30 */
    public JsonHookSettings(Path file, List<String> events, String agent, java.util.Map<String, Integer> timeouts) {
        this.file = new JsonSettingsFile(file);
        this.events = List.copyOf(events);
        this.agent = agent;
        this.timeouts = java.util.Map.copyOf(timeouts);
    }

    public Path path() {
        return file.path();
    }

    public List<String> events() {
        return events;
    }

    /** The file's settings with our command handlers for every event in place of any earlier ones of ours; writes nothing. */
    public ObjectNode withOurs(String command) throws ConfigException {
        return withOurs(command, null, java.util.Set.of(), java.util.Set.of());
    }

    /**
     * The file's settings with our handlers in place of any earlier ones of ours: an {@code http}
     * handler posting to {@code server} for the events in {@code httpEvents}, none for those in
     * {@code unhooked}, the command for the others. Writes nothing ({@link #write} does).
     */
    public ObjectNode withOurs(String command, HookInstaller.ServerEndpoint server, java.util.Set<String> httpEvents,
            java.util.Set<String> unhooked) throws ConfigException {
        ObjectNode root = file.read();
        removeOurs(root);
        JsonNode h = root.get("hooks");
        ObjectNode hooks = h instanceof ObjectNode ? (ObjectNode) h : root.putObject("hooks");
        for (String event : events) {
            if (unhooked.contains(event)) {
                continue;
            }
            JsonNode existing = hooks.get(event);
            ArrayNode groups = existing instanceof ArrayNode ? (ArrayNode) existing : hooks.putArray(event);
            ObjectNode handler = groups.addObject().putArray("hooks").addObject();
            if (server != null && httpEvents.contains(event)) {
                handler.put("type", "http");
                handler.put("url", server.hookUrl(agent));
                // A hung server may cost the agent this much per event; a down one costs a refused connect.
                handler.put("timeout", HTTP_TIMEOUT_SECONDS);
                handler.putObject("headers").put("Authorization", "Bearer " + server.token());
            } else {
                handler.put("type", "command");
                handler.put("command", command);
                handler.put("timeout", timeouts.getOrDefault(event, TIMEOUT_SECONDS));
            }
        }
        return root;
    }

    public void write(ObjectNode settings) throws IOException {
        file.write(settings);
    }

    /** The token our http handlers carry, or null when none is installed. */
    public String installedToken() throws ConfigException {
        for (JsonNode h : ourHttpHandlers().values()) {
            String auth = h.path("headers").path("Authorization").asText("");
            return auth.startsWith("Bearer ") ? auth.substring(7) : "";
        }
        return null;
    }

    /** Our http handlers (server mode), event by event, with their URL. */
    public java.util.Map<String, String> installedHttpUrls() throws ConfigException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        ourHttpHandlers().forEach((event, h) -> out.put(event, h.path("url").asText()));
        return out;
    }

    private java.util.Map<String, JsonNode> ourHttpHandlers() throws ConfigException {
        java.util.Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        if (!file.exists()) {
            return out;
        }
        JsonNode hooks = file.read().path("hooks");
        for (String event : events) {
            for (JsonNode group : hooks.path(event)) {
                for (JsonNode h : group.path("hooks")) {
                    if (isOurs(h) && "http".equals(h.path("type").asText())) {
                        out.putIfAbsent(event, h);
                    }
                }
            }
        }
        return out;
    }

    /** The distinct command lines our command handlers run, for {@code status} to check they still can. */
    public List<String> installedCommands() throws ConfigException {
        List<String> out = new ArrayList<>();
        if (!file.exists()) {
            return out;
        }
        JsonNode hooks = file.read().path("hooks");
        for (Position p : installedPositions()) {
            JsonNode h = hooks.path(p.event()).path(p.group()).path("hooks").path(p.handler());
            String command = h.path("command").asText(null);
            if (command != null && !"http".equals(h.path("type").asText()) && !out.contains(command)) {
                out.add(command);
            }
        }
        return out;
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
        return (int) installedPositions().stream().map(Position::event).distinct().count();
    }

    /** Where our handler sits: event, index of its group in the event's list, index in the group. */
    public record Position(String event, int group, int handler) {}

    public List<Position> installedPositions() throws ConfigException {
        List<Position> out = new ArrayList<>();
        if (!file.exists()) {
            return out;
        }
        JsonNode hooks = file.read().path("hooks");
        for (String event : events) {
            JsonNode groups = hooks.path(event);
            for (int g = 0; g < groups.size(); g++) {
                JsonNode handlers = groups.get(g).path("hooks");
                for (int h = 0; h < handlers.size(); h++) {
                    if (isOurs(handlers.get(h))) {
                        out.add(new Position(event, g, h));
                    }
                }
            }
        }
        return out;
    }

    boolean isOurs(JsonNode handler) {
        if ("http".equals(handler.path("type").asText())) {
            String url = handler.path("url").asText("");
            return url.startsWith("http://127.0.0.1:") && url.endsWith("/hook/" + agent);
        }
        String cmd = handler.path("command").asText("");
        return cmd.contains("infinium") && cmd.contains(" hook") && cmd.contains("--agent " + agent);
    }

    private int removeOurs(ObjectNode root) {
        JsonNode h = root.get("hooks");
        if (!(h instanceof ObjectNode)) {
            return 0;
        }
        ObjectNode hooks = (ObjectNode) h;
        int removed = 0;
        List<String> emptied = new ArrayList<>();
        for (Iterator<String> names = hooks.fieldNames(); names.hasNext(); ) {
            String event = names.next();
            JsonNode groups = hooks.get(event);
            if (!(groups instanceof ArrayNode)) {
                continue;
            }
            int before = removed;
            for (int g = groups.size() - 1; g >= 0; g--) {
                JsonNode handlers = groups.get(g).get("hooks");
                if (!(handlers instanceof ArrayNode)) {
                    continue;
                }
                ArrayNode arr = (ArrayNode) handlers;
                int inGroup = 0;
                for (int i = arr.size() - 1; i >= 0; i--) {
                    if (isOurs(arr.get(i))) {
                        arr.remove(i);
                        inGroup++;
                    }
                }
                removed += inGroup;
                if (arr.isEmpty() && inGroup > 0) {
                    ((ArrayNode) groups).remove(g);
                }
            }
            if (groups.isEmpty() && removed > before) {
                emptied.add(event);
            }
        }
        emptied.forEach(hooks::remove);
        if (removed > 0 && hooks.isEmpty()) {
            root.remove("hooks");
        }
        return removed;
    }
}
