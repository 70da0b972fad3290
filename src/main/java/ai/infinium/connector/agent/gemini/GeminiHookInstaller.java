package ai.infinium.connector.agent.gemini;

import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.agent.JsonHookSettings;
import ai.infinium.connector.agent.UserLevelHooks;
import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.JsonSettingsFile;
import ai.infinium.connector.config.ProjectConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Gemini CLI runs command hooks from the user's {@code ~/.gemini/settings.json} only (0.61.0 runs
 * none from a project's {@code .gemini/settings.json}), so ours go there, in the shape its docs show
 * ({@code {"matcher": "*", "hooks": [{"type": "command", "name", "command", "timeout"}]}}, the
 * timeout in milliseconds), beside whatever the user has.
 *
 * <p>User-level hooks fire for every project of the user; a session in a directory without
 * {@code .infinium/config.json} is recorded and never sent. Each project that set Gemini up says so
 * with a marker in its {@code .infinium/}; {@code uninstall} takes the hooks out only in the last
 * project of the project index that still has that marker, so uninstalling one project never
 * stops the tracing of another.
 */
public final class GeminiHookInstaller implements HookInstaller {
    public static final List<String> EVENTS = Arrays.stream(GeminiEvent.values()).map(GeminiEvent::hookName).toList();
    /** The file in a project's {@code .infinium/} that says the project traces Gemini CLI. */
    /** The name Gemini shows for our handlers (in /hooks and its messages). */
    static final String HANDLER_NAME = "infinium";
    static final int TIMEOUT_MILLIS = 30_000;

    private final JsonHookSettings hooks;
    private final UserLevelHooks shared;

    public GeminiHookInstaller(Path projectDir, Map<String, String> env, Path home) {
        this.shared = new UserLevelHooks(Gemini.NAME, projectDir.toAbsolutePath().normalize(), env);
        // Gemini's own rule: GEMINI_CLI_HOME, when set, stands in for the home directory.
        String geminiHome = env.get("GEMINI_CLI_HOME");
        Path base = geminiHome == null || geminiHome.isBlank() ? home : Path.of(geminiHome);
        this.hooks = new JsonHookSettings(base.resolve(".gemini").resolve("settings.json"), EVENTS, Gemini.NAME);
    }

    @Override
    public Path hooksFile() {
        return hooks.path();
    }

    @Override
    public int expectedEvents() {
        return EVENTS.size();
    }

    @Override
    public PreparedInstall prepare(String command, InstallOptions options) throws ConfigException {
        ObjectNode merged = hooks.withOurs(command);
        inGeminiShape(merged, command);
        List<String> report = new ArrayList<>();
        report.add(EVENTS.size() + " Gemini CLI events in " + hooks.path() + " (user settings: Gemini runs no project hooks;"
                + " they fire in every project, and only projects set up for infinium are traced)");
        if (options.server() != null) {
            report.add("Gemini CLI has no http hooks: its events run the command, which hands them to the server");
        }
        return new PreparedInstall(report, () -> {
            hooks.write(merged);
            shared.mark();
        });
    }

    /**
     * Our handlers as Gemini's docs write them: a {@code "*"} matcher on the group, a name, and the
     * timeout in milliseconds (a 30 there would kill the hook after 30 ms).
     */
    private static void inGeminiShape(ObjectNode root, String command) {
        JsonNode all = root.path("hooks");
        for (String event : EVENTS) {
            JsonNode groups = all.path(event);
            for (int g = 0; g < groups.size(); g++) {
                JsonNode group = groups.get(g);
                JsonNode handlers = group.path("hooks");
                if (handlers.size() != 1 || !command.equals(handlers.get(0).path("command").asText(null))) {
                    continue;
                }
                ObjectNode shaped = root.objectNode();
                shaped.put("matcher", "*");
                ObjectNode h = shaped.putArray("hooks").addObject();
                h.put("type", "command");
                h.put("name", HANDLER_NAME);
                h.put("command", command);
                h.put("timeout", TIMEOUT_MILLIS);
                ((com.fasterxml.jackson.databind.node.ArrayNode) groups).set(g, shaped);
            }
        }
    }

    @Override
    public String keptFor() throws IOException {
        return shared.keptFor("Gemini CLI");
    }

    @Override
    public int uninstall() throws ConfigException, IOException {
        shared.unmark();
        return hooks.uninstall();
    }

    @Override
    public int installedEvents() throws ConfigException {
        return hooks.installedCount();
    }

    @Override
    public List<String> installedCommands() throws ConfigException {
        return hooks.installedCommands();
    }

    @Override
    public List<Problem> problems() throws ConfigException {
        JsonNode settings = new JsonSettingsFile(hooks.path()).read();
        List<Problem> out = new ArrayList<>();
        if (settings.path("hooksConfig").path("enabled").isBoolean()
                && !settings.path("hooksConfig").path("enabled").booleanValue()) {
            out.add(new Problem("hooks are switched off in " + hooks.path() + " (hooksConfig.enabled is false)",
                    "set \"hooksConfig\": {\"enabled\": true} there, or remove the key (hooks are on by default)"));
        }
        for (JsonNode disabled : settings.path("hooksConfig").path("disabled")) {
            if (HANDLER_NAME.equals(disabled.asText())) {
                out.add(new Problem("our hooks are listed in hooksConfig.disabled of " + hooks.path(),
                        "remove \"" + HANDLER_NAME + "\" from that list (or enable them again with /hooks)"));
            }
        }
        return out;
    }

    @Override
    public List<String> statusNotes() throws ConfigException {
        return List.of("user-level hooks (they fire in every project; a session is traced only where "
                + ProjectConfig.DIR + "/" + ProjectConfig.FILE + " is found)",
                "this project " + (shared.marked() ? "is" : "is NOT") + " set up for Gemini CLI");
    }
}
