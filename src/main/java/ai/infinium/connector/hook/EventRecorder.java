package ai.infinium.connector.hook;

import ai.infinium.connector.config.ConnectorSettings;
import ai.infinium.connector.config.UserDirs;
import ai.infinium.connector.diag.ErrorLog;
import ai.infinium.connector.spool.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * Bytes of one hook event in, one spool line and a flush decision out. The command hook and
 * the server's intake both record through this, so the two modes write the same spool by the
 * same rules (stamping, pause, hostile session ids, malformed events kept aside).
 */
public final class EventRecorder {
    static final long STALE_SCAN_INTERVAL_MS = 60_000;

    /** What the caller should do after recording. */
    public record Outcome(Path spool, FlushTrigger trigger, boolean staleScanDue) {
        static final Outcome NOTHING = new Outcome(null, FlushTrigger.NONE, false);

        /** The flush worker's arguments for this outcome, or null when there is nothing to flush. */
        public java.util.List<String> flushArgs() {
            if (trigger != FlushTrigger.NONE) {
                return java.util.List.of("flush", "--session-file", spool.toString(), "--reason", trigger.reason());
            }
            return staleScanDue ? java.util.List.of("flush", "--stale") : null;
        }
    }

    private final UserDirs dirs;
    private final ConnectorSettings settings;
    private final ErrorLog log;
    /** The hook's environment when the event came through a plugin's hooks (Claude Code's or Codex's); null otherwise. */
    private final java.util.Map<String, String> pluginEnv;

    public EventRecorder(UserDirs dirs, ConnectorSettings settings, ErrorLog log) {
        this(dirs, settings, log, null);
    }

    private EventRecorder(UserDirs dirs, ConnectorSettings settings, ErrorLog log, java.util.Map<String, String> pluginEnv) {
        this.dirs = dirs;
        this.settings = settings;
        this.log = log;
        this.pluginEnv = pluginEnv;
    }

    /** The same recorder for events of the plugin's hooks ({@code --via plugin}): only where {@link PluginEvents} says so. */
    public EventRecorder viaPlugin(java.util.Map<String, String> env) {
        return new EventRecorder(dirs, settings, log, env);
    }

    /**
     * Records one event of {@code agent} (already checked to be a plain name). Throws only for
     * I/O failures of the spool itself; malformed and empty input are logged and kept aside.
     */
    public Outcome record(String agent, byte[] payload) throws IOException {
        return record(agent, null, payload);
    }

    /**
     * The same, for an agent whose payloads name no event: {@code hookEvent} is the name its hook's
     * command line gave (checked to be a plain name), or null.
     */
    public Outcome record(String agent, String hookEvent, byte[] payload) throws IOException {
        HookProfile profile = ai.infinium.connector.agent.Agents.profile(agent);
        if (payload.length == 0 || isBlank(payload)) {
            log.error("hook --agent " + agent + ": empty event, nothing recorded");
            return Outcome.NOTHING;
        }
        Path agentDir = dirs.sessions().resolve(agent);
        String receivedAt = IsoMillis.now();
        StampedEvent event;
        try {
            event = StampedEvent.parse(payload, receivedAt, hookEvent);
        } catch (IOException e) {
            quarantine(agentDir, payload, receivedAt, e);
            return Outcome.NOTHING;
        }
        // User-level hooks fire in every project of the user: only a project set up for the agent records.
        if (profile.userLevelHooks() && !TracedProject.takes(agent, event.cwd())) {
            return Outcome.NOTHING;
        }
        // The plugin's hooks are the user's too, and may run beside the project's own: see PluginEvents.
        if (pluginEnv != null && PluginEvents.of(agent, event.cwd(), pluginEnv) != PluginEvents.Verdict.RECORD) {
            return Outcome.NOTHING;
        }
        if (ProjectPause.isPaused(event.cwd())) {
            return Outcome.NOTHING;
        }
        Path spool = agentDir.resolve(SessionFileName.of(event.sessionId()) + ".jsonl");
        PrivateFiles.append(spool, event.line());

        FlushTrigger trigger = profile.triggerFor(event.eventName());
        boolean wanted = (trigger == FlushTrigger.TURN_END && settings.flushOnStop())
                || (trigger == FlushTrigger.SESSION_END && settings.flushOnSessionEnd());
        if (wanted) {
            return new Outcome(spool, trigger, false);
        }
        return new Outcome(spool, FlushTrigger.NONE, staleScanDue(agentDir));
    }

    private static boolean isBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                return false;
            }
        }
        return true;
    }

    /** A malformed event is kept (escaped, as a JSON string) so nothing the agent sent is lost. */
    private void quarantine(Path agentDir, byte[] payload, String receivedAt, IOException why) {
        log.error("hook: malformed event (" + payload.length + " bytes) kept in "
                + agentDir.resolve("malformed.jsonl") + ": " + why.getMessage());
        try {
            String raw = new String(payload, StandardCharsets.UTF_8);
            String line = "{\"received_at\":\"" + receivedAt + "\",\"raw\":" + JsonString.quote(raw) + "}\n";
            PrivateFiles.append(agentDir.resolve("malformed.jsonl"), line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log.error("hook: could not keep malformed event: " + e);
        }
    }

    /** Throttled through a marker file so that at most one scan a minute costs anything. */
    private static boolean staleScanDue(Path agentDir) throws IOException {
        Path marker = agentDir.getParent().resolve(".stale-scan");
        long now = System.currentTimeMillis();
        java.nio.file.LinkOption noLink = java.nio.file.LinkOption.NOFOLLOW_LINKS;
        if (Files.exists(marker, noLink)) {
            if (now - Files.getLastModifiedTime(marker, noLink).toMillis() < STALE_SCAN_INTERVAL_MS) {
                return false;
            }
            Files.getFileAttributeView(marker, java.nio.file.attribute.BasicFileAttributeView.class, noLink)
                    .setTimes(FileTime.fromMillis(now), null, null);
            return true;
        }
        PrivateFiles.ensureDir(marker.getParent());
        PrivateFiles.openOwnerOnly(marker, java.util.Set.of(java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, noLink)).close();
        return true;
    }
}
