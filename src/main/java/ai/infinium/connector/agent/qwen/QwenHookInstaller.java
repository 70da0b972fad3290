package ai.infinium.connector.agent.qwen;

import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.agent.JsonHookSettings;
import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.JsonSettingsFile;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Qwen Code's hooks go into the project's {@code .qwen/settings.json}, in Claude Code's shape,
 * where Qwen Code runs them in interactive and headless sessions alike without a trust step.
 * Qwen Code 0.24.4 reads a hook's {@code timeout} in seconds (values of 1000 and more as legacy
 * milliseconds), so the shared 30 is what it means. {@code disableAllHooks}, in this file or in
 * the user's {@code ~/.qwen/settings.json}, switches every hook off: status says so.
 */
public final class QwenHookInstaller implements HookInstaller {
    public static final List<String> EVENTS = Arrays.stream(QwenEvent.values()).map(QwenEvent::hookName).toList();

    private final JsonHookSettings settings;
    private final Path userSettings;

    public QwenHookInstaller(Path projectDir, Path home) {
        this.settings = new JsonHookSettings(projectDir.resolve(".qwen").resolve("settings.json"), EVENTS, Qwen.NAME);
        this.userSettings = home.resolve(".qwen").resolve("settings.json");
    }

    @Override
    public Path hooksFile() {
        return settings.path();
    }

    @Override
    public int expectedEvents() {
        return EVENTS.size();
    }

    @Override
    public PreparedInstall prepare(String command, InstallOptions options) throws ConfigException {
        ObjectNode merged = settings.withOurs(command);
        List<String> report = new ArrayList<>();
        report.add(EVENTS.size() + " Qwen Code events in " + settings.path());
        report.add("Qwen Code runs them in every session started in this project, `qwen -p` included.");
        return new PreparedInstall(report, () -> settings.write(merged));
    }

    @Override
    public int uninstall() throws ConfigException, IOException {
        return settings.uninstall();
    }

    @Override
    public int installedEvents() throws ConfigException {
        return settings.installedCount();
    }

    @Override
    public List<String> installedCommands() throws ConfigException {
        return settings.installedCommands();
    }

    @Override
    public List<Problem> problems() throws ConfigException {
        List<Problem> out = new ArrayList<>();
        for (Path file : List.of(settings.path(), userSettings)) {
            JsonSettingsFile f = new JsonSettingsFile(file);
            if (f.exists() && f.read().path("disableAllHooks").asBoolean(false)) {
                out.add(new Problem("\"disableAllHooks\": true in " + file + " turns every Qwen Code hook off",
                        "remove it from " + file + " (or set it to false)"));
            }
        }
        return out;
    }

    @Override
    public List<String> statusNotes() {
        return List.of("command hooks in " + settings.path());
    }
}
