package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.agent.JsonHookSettings;
import ai.infinium.connector.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Claude Code's hooks go into the project's {@code .claude/settings.local.json}: personal, not
 * committed, merged by Claude Code with the other settings files.
 */
public final class ClaudeHookInstaller implements HookInstaller {
    public static final List<String> EVENTS = List.of("SessionStart", "UserPromptSubmit", "PreToolUse", "PostToolUse",
            "PostToolUseFailure", "PermissionDenied", "SubagentStart", "SubagentStop", "PreCompact", "PostCompact",
            "Stop", "StopFailure", "SessionEnd");

    private final JsonHookSettings settings;

    public ClaudeHookInstaller(Path projectDir) {
        this.settings = new JsonHookSettings(projectDir.resolve(".claude").resolve("settings.local.json"), EVENTS,
                ClaudeCodeHookProfile.NAME);
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
    public List<String> install(String command, InstallOptions options) throws ConfigException, IOException {
        settings.install(command);
        return List.of(EVENTS.size() + " Claude Code events in " + settings.path(),
                "Claude Code runs project hooks in interactive sessions once you trust the workspace.");
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
    public List<String> statusNotes() {
        return List.of();
    }
}
