package ai.infinium.connector.agent.codex;

import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.agent.JsonHookSettings;
import ai.infinium.connector.config.CheckedTomlEdit;
import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.TomlTree;
import ai.infinium.connector.spool.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Codex's hooks go into the project's {@code .codex/hooks.json}. Codex also needs hooks switched on
 * in {@code $CODEX_HOME/config.toml} ({@code [features] hooks = true}), reads a project's
 * {@code .codex/} only when the project is trusted there, and runs a new hook only after the
 * user has reviewed and trusted it ({@code /hooks}): the first two are edits of the user's
 * config.toml that keep everything else in it, made only when a TOML parser confirms the result
 * ({@link CheckedTomlEdit}); the last is the user's own act, so we only say how.
 */
public final class CodexHookInstaller implements HookInstaller {
    public static final List<String> EVENTS = java.util.Arrays.stream(CodexEvent.values()).map(CodexEvent::hookName)
            .toList();

    private final Path project;
    private final JsonHookSettings hooks;
    private final Path configToml;

    public CodexHookInstaller(Path projectDir, Map<String, String> env, Path home) {
        this.project = projectDir.toAbsolutePath().normalize();
        // Codex clamps SessionEnd hooks to 3 s (and warns about more): ask for what it grants.
        this.hooks = new JsonHookSettings(project.resolve(".codex").resolve("hooks.json"), EVENTS, Codex.NAME,
                Map.of("SessionEnd", 3));
        String codexHome = env.get("CODEX_HOME");
        this.configToml = (codexHome == null || codexHome.isBlank() ? home.resolve(".codex") : Path.of(codexHome))
                .resolve("config.toml");
    }

    public Path configToml() {
        return configToml;
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
        ObjectNode mergedHooks = hooks.withOurs(command);
        CheckedTomlEdit toml = new CheckedTomlEdit(configToml, readToml());
        List<String> done = new ArrayList<>();
        done.add(EVENTS.size() + " Codex events in " + hooks.path());
        if (!hooksEnabled(toml.tree())) {
            toml.set(List.of("features"), "hooks", "true", "enable Codex hooks");
            done.add("hooks enabled in " + configToml + " ([features] hooks = true)");
        }
        boolean trusted = projectTrusted(toml.tree());
        if (options.trustProject() && !trusted) {
            toml.set(projectTable(), "trust_level", "\"trusted\"", "mark this project trusted");
            done.add("project marked trusted in " + configToml + " (Codex reads .codex/ only in trusted projects)");
            trusted = true;
        }
        if (!trusted) {
            done.add("Codex reads .codex/hooks.json only in trusted projects: trust this project when Codex asks, "
                    + "or run `infinium init --agent codex --trust-project`.");
        }
        done.add("Codex runs new hooks only after you trust them: start `codex` here and review them with /hooks.");
        return new PreparedInstall(done, () -> {
            hooks.write(mergedHooks);
            if (toml.changed()) {
                AtomicFiles.write(configToml, toml.text().getBytes(StandardCharsets.UTF_8));
            }
        });
    }

    @Override
    public int uninstall() throws ConfigException, IOException {
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
        ObjectNode toml;
        try {
            toml = TomlTree.parse(readToml());
        } catch (TomlTree.Invalid e) {
            return List.of(new Problem(configToml + " is not valid TOML (" + e.getMessage() + "), so Codex cannot start",
                    "fix the file by hand"));
        }
        List<Problem> out = new ArrayList<>();
        if (!hooksEnabled(toml)) {
            out.add(new Problem("the hooks feature is not enabled in " + configToml,
                    "run `infinium init` again (it sets [features] hooks = true)"));
        }
        if (!projectTrusted(toml)) {
            out.add(new Problem("Codex reads no .codex/hooks.json in a project it does not trust",
                    "run `infinium init --trust-project`, or trust the project when codex asks"));
        }
        List<JsonHookSettings.Position> ours = hooks.installedPositions();
        int trusted = CodexHookTrust.trusted(toml, hooks.path(), ours);
        if (trusted < ours.size()) {
            out.add(new Problem("Codex has trusted " + trusted + " of our " + ours.size() + " hooks",
                    "start `codex` in the project and trust them with /hooks"));
        }
        return out;
    }

    @Override
    public List<String> statusNotes() throws ConfigException {
        ObjectNode toml;
        try {
            toml = TomlTree.parse(readToml());
        } catch (TomlTree.Invalid e) {
            return List.of(configToml + " is not valid TOML: " + e.getMessage() + ". Codex cannot read it: fix it by hand");
        }
        List<String> notes = new ArrayList<>();
        notes.add("hooks feature " + (hooksEnabled(toml) ? "enabled" : "NOT enabled") + " in " + configToml);
        notes.add("project " + (projectTrusted(toml) ? "trusted" : "NOT trusted") + " in " + configToml);
        notes.add(CodexHookTrust.describe(toml, hooks.path(), hooks.installedPositions()));
        return notes;
    }

    /** Codex wants a boolean: a string "true" does not count. */
    private static boolean hooksEnabled(JsonNode toml) {
        return toml.path("features").path("hooks").booleanValue();
    }

    private boolean projectTrusted(JsonNode toml) {
        return "trusted".equals(toml.path("projects").path(project.toString()).path("trust_level").textValue());
    }

    private List<String> projectTable() {
        return List.of("projects", project.toString());
    }

    /** The file's text; "" when there is none yet (init creates it). */
    private String readToml() throws ConfigException {
        try {
            return Files.isRegularFile(configToml) ? Files.readString(configToml, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new ConfigException("cannot read " + configToml + ": " + ai.infinium.connector.diag.ErrorWords.of(e));
        }
    }
}
