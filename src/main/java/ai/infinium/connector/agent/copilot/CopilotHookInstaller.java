package ai.infinium.connector.agent.copilot;

import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.agent.UserLevelHooks;
import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.JsonSettingsFile;
import ai.infinium.connector.hook.TracedProject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copilot CLI runs a project's hooks ({@code .github/hooks/}) only once the folder is trusted, and
 * in {@code -p} mode only with {@code --trust-folder}; the user's {@code $COPILOT_HOME/hooks/*.json}
 * (default {@code ~/.copilot}) run with no step. So our handlers go into a file of our own there,
 * {@code infinium.json}, which leaves the user's settings.json and hook files as they are. Being the
 * user's, they fire in every project: a project takes their events only when {@code init} marked
 * it ({@link TracedProject}), and the file stays until the last marked project is uninstalled.
 *
 * <p>A preToolUse hook that fails denies the tool, so each handler's command line ends in
 * {@code >/dev/null 2>&1 || true}: whatever breaks (no Java, a damaged or removed install), the
 * agent sees exit 0 and no output.
 */
public final class CopilotHookInstaller implements HookInstaller {
    public static final String FILE = "infinium.json";
    static final int TIMEOUT_SECONDS = 30;
    /** What follows our command on each handler's line; {@link #installedCommands} takes it off again. */
    static final String EVENT_FLAG = " --event ";
    static final String NEVER_FAIL = " >/dev/null 2>&1 || true";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonSettingsFile hooks;
    private final UserLevelHooks shared;

    public CopilotHookInstaller(Path projectDir, Map<String, String> env, Path home) {
        this.shared = new UserLevelHooks(Copilot.NAME, projectDir.toAbsolutePath().normalize(), env);
        String copilotHome = env.get("COPILOT_HOME");
        Path dir = copilotHome == null || copilotHome.isBlank() ? home.resolve(".copilot") : Path.of(copilotHome);
        this.hooks = new JsonSettingsFile(dir.resolve("hooks").resolve(FILE));
    }

    @Override
    public Path hooksFile() {
        return hooks.path();
    }

    @Override
    public int expectedEvents() {
        return CopilotEvent.values().length;
    }

    /** The handler line of one event: our command, told the event, never failing the agent. */
    static String handlerLine(String command, CopilotEvent e) {
        return command + EVENT_FLAG + e.hookName() + NEVER_FAIL;
    }

    @Override
    public PreparedInstall prepare(String command, InstallOptions options) throws ConfigException {
        ourFileOrNone();
        ObjectNode root = JSON.createObjectNode().put("version", 1);
        ObjectNode byEvent = root.putObject("hooks");
        for (CopilotEvent e : CopilotEvent.values()) {
            byEvent.putArray(e.hookName()).addObject().put("type", "command").put("bash", handlerLine(command, e))
                    .put("timeoutSec", TIMEOUT_SECONDS);
        }
        List<String> report = List.of(expectedEvents() + " Copilot CLI events in " + hooks.path()
                        + " (your own Copilot hooks and settings stay as they are)",
                "Copilot runs project hooks only in trusted folders, so these are user-level: they fire in every "
                        + "project, and record only in those set up with `infinium init --agent copilot`");
        return new PreparedInstall(report, () -> {
            hooks.write(root);
            shared.mark();
        });
    }

    /** Takes this project's marker out; the file goes with the last project that still has one. */
    @Override
    public int uninstall() throws ConfigException, IOException {
        int n = installedEvents();
        shared.unmark();
        if (shared.others().isEmpty() && !ourFileOrNone().isEmpty()) {
            Files.deleteIfExists(hooks.path());
        }
        return n;
    }

    @Override
    public String keptFor() throws IOException {
        return shared.keptFor("GitHub Copilot CLI");
    }

    /** Counted for this project only: another project's install is not this one's. */
    @Override
    public int installedEvents() throws ConfigException {
        if (!shared.marked()) {
            return 0;
        }
        int n = 0;
        JsonNode byEvent = ourFileOrNone().path("hooks");
        for (CopilotEvent e : CopilotEvent.values()) {
            n += byEvent.path(e.hookName()).size() > 0 ? 1 : 0;
        }
        return n;
    }

    @Override
    public List<String> installedCommands() throws ConfigException {
        List<String> out = new ArrayList<>();
        for (JsonNode handlers : ourFileOrNone().path("hooks")) {
            for (JsonNode h : handlers) {
                String line = h.path("bash").asText("");
                int cut = line.indexOf(EVENT_FLAG);
                String command = cut < 0 ? line : line.substring(0, cut);
                if (!command.isEmpty() && !out.contains(command)) {
                    out.add(command);
                }
            }
        }
        return out;
    }

    @Override
    public List<Problem> problems() throws ConfigException {
        Path settings = hooks.path().getParent().resolveSibling("settings.json");
        JsonNode s = new JsonSettingsFile(settings).read();
        if (s.path("disableAllHooks").asBoolean(false)) {
            return List.of(new Problem(settings + " sets disableAllHooks, so Copilot runs no hooks",
                    "remove \"disableAllHooks\" from " + settings));
        }
        return List.of();
    }

    @Override
    public List<String> statusNotes() throws ConfigException {
        List<String> notes = new ArrayList<>();
        notes.add("user-level hooks in " + hooks.path() + "; this project "
                + (shared.marked() ? "records" : "does NOT record") + " their events");
        try {
            List<Path> others = shared.others();
            if (!others.isEmpty()) {
                notes.add(others.size() + " other project(s) use the same file: uninstall keeps it until the last of them");
            }
        } catch (IOException e) {
            notes.add("could not read the project index: " + e.getMessage());
        }
        return notes;
    }

    /**
     * Our file's content, or an empty object when there is none. A file of that name holding any
     * handler that is not ours is the user's: we neither overwrite nor delete it.
     */
    private ObjectNode ourFileOrNone() throws ConfigException {
        ObjectNode root = hooks.read();
        for (JsonNode handlers : root.path("hooks")) {
            for (JsonNode h : handlers) {
                String line = h.path("bash").asText("");
                if (!(line.contains(" hook --agent " + Copilot.NAME) && line.contains(EVENT_FLAG))) {
                    throw new ConfigException(hooks.path() + " holds hooks that are not infinium's; it was left untouched: "
                            + "rename it (Copilot reads every .json file in " + hooks.path().getParent()
                            + "), then run this again");
                }
            }
        }
        return root;
    }
}
