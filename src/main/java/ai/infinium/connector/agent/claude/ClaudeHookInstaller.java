package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.agent.JsonHookSettings;
import ai.infinium.connector.config.ConfigException;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    /**
     * Server mode hooks no event that fires on every tool call: Claude Code 2.1.330 spends about
     * 13 ms dispatching one http hook even to a server that answers at once (an async command
     * hook, about 10 ms to spawn), so two per call cost a twelve-call turn a third of its time
     * (bench/turn-bench.sh). A call's start and result are in the session transcript Claude Code
     * writes anyway; the flush reads them from there when the turn is over.
     */
    public static final java.util.Set<String> TRANSCRIPT_EVENTS = java.util.Set.of("PreToolUse", "PostToolUse");

    /**
     * Server mode posts these to the server: the tool events that fire only now and then (a
     * failure, a denial, a subagent, a compaction), which the transcript tells less well. The
     * turn and session boundaries stay command hooks (which the launcher forwards to a running
     * server): they are recorded even when the server is down, close the turn so its tool events
     * can be read from the transcript, and bring the server back. SessionStart cannot be an http
     * hook in Claude Code at all.
     */
    public static final java.util.Set<String> HTTP_EVENTS = java.util.Set.of("PostToolUseFailure", "PermissionDenied",
            "SubagentStart", "SubagentStop", "PreCompact", "PostCompact");

    private final JsonHookSettings settings;
    private final ai.infinium.connector.config.ServerFiles server;

    public ClaudeHookInstaller(Path projectDir) {
        this(projectDir, null);
    }

    public ClaudeHookInstaller(Path projectDir, ai.infinium.connector.config.ServerFiles server) {
        this.server = server;
        this.settings = new JsonHookSettings(projectDir.resolve(".claude").resolve("settings.local.json"), EVENTS,
                ClaudeCodeHookProfile.NAME);
    }

    @Override
    public Path hooksFile() {
        return settings.path();
    }

    /** All events in command mode; in server mode (our http handlers present) all but the transcript's. */
    @Override
    public int expectedEvents() {
        try {
            return settings.installedHttpUrls().isEmpty() ? EVENTS.size() : EVENTS.size() - TRANSCRIPT_EVENTS.size();
        } catch (ConfigException unreadable) {
            return EVENTS.size();
        }
    }

    @Override
    public PreparedInstall prepare(String command, InstallOptions options) throws ConfigException {
        String trustNote = "Claude Code runs project hooks in interactive sessions once you trust the workspace.";
        if (options.server() == null) {
            ObjectNode merged = settings.withOurs(command);
            return new PreparedInstall(List.of(EVENTS.size() + " Claude Code events in " + settings.path()
                    + " (command mode)", trustNote), () -> settings.write(merged));
        }
        ObjectNode merged = settings.withOurs(command, options.server(), HTTP_EVENTS, TRANSCRIPT_EVENTS);
        int hooked = EVENTS.size() - TRANSCRIPT_EVENTS.size();
        String done = hooked + " Claude Code events in " + settings.path() + " (server mode: "
                + HTTP_EVENTS.size() + " post to " + options.server().hookUrl(ClaudeCodeHookProfile.NAME) + ", "
                + (hooked - HTTP_EVENTS.size()) + " run the command, which starts the server; each tool call's "
                + "start and result are read from the session transcript, which costs the agent nothing)";
        return new PreparedInstall(List.of(done, trustNote), () -> {
            settings.write(merged);
            // The file now holds the server token: owner-only, whatever it was before.
            ai.infinium.connector.spool.PrivateFiles.restrictToOwner(settings.path());
        });
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
    public List<String> statusNotes() throws ConfigException {
        java.util.Map<String, String> urls = settings.installedHttpUrls();
        if (urls.isEmpty()) {
            return List.of("command mode (a process per event)");
        }
        List<String> notes = new java.util.ArrayList<>();
        notes.add("server mode: " + urls.size() + " events post to " + urls.values().iterator().next());
        if (server != null) {
            try {
                String current = ai.infinium.connector.config.ServerToken.readIfPrivate(server);
                String installed = settings.installedToken();
                if (current != null && !current.equals(installed)) {
                    notes.add("NOT tracing tool events: the hooks carry an old server token; run `infinium init` again");
                }
            } catch (IOException e) {
                notes.add("cannot read the server token: " + ai.infinium.connector.diag.ErrorWords.of(e));
            }
        }
        return notes;
    }
}
