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
    public static final List<String> EVENTS = java.util.Arrays.stream(ClaudeCodeEvent.values())
            .map(ClaudeCodeEvent::hookName).toList();

    /** Events server mode does not hook: the flush reads them from the transcript (see {@link ClaudeCodeEvent}). */
    public static final java.util.Set<String> TRANSCRIPT_EVENTS = serverMode(ClaudeCodeEvent.ServerModeHook.NONE);

    /** Events server mode posts to the server. */
    public static final java.util.Set<String> HTTP_EVENTS = serverMode(ClaudeCodeEvent.ServerModeHook.HTTP);

    private static java.util.Set<String> serverMode(ClaudeCodeEvent.ServerModeHook how) {
        return java.util.Arrays.stream(ClaudeCodeEvent.values()).filter(e -> e.serverMode() == how)
                .map(ClaudeCodeEvent::hookName).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private final JsonHookSettings settings;
    private final ai.infinium.connector.config.ServerFiles server;

    public ClaudeHookInstaller(Path projectDir) {
        this(projectDir, null);
    }

    public ClaudeHookInstaller(Path projectDir, ai.infinium.connector.config.ServerFiles server) {
        this.server = server;
        this.settings = new JsonHookSettings(projectDir.resolve(".claude").resolve("settings.local.json"), EVENTS,
                ClaudeCode.NAME);
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
                + HTTP_EVENTS.size() + " post to " + options.server().hookUrl(ClaudeCode.NAME) + ", "
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
        String url = urls.values().iterator().next();
        notes.add("server mode: " + urls.size() + " events post to " + url);
        if (server != null) {
            try {
                int installedPort = java.net.URI.create(url).getPort();
                int serverPort = server.port();
                if (installedPort != serverPort) {
                    notes.add("NOT tracing tool failures, subagents and compactions: those hooks post to port " + installedPort
                            + ", but a server started now listens on " + serverPort + "; run `infinium init` again"
                            + " (with " + ai.infinium.connector.config.ServerFiles.PORT_VARIABLE + "=" + installedPort
                            + " to keep the hooks' port)");
                }
            } catch (IOException | IllegalArgumentException e) {
                notes.add("cannot tell the server's port: " + ai.infinium.connector.diag.ErrorWords.of(e));
            }
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
