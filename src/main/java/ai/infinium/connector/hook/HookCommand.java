package ai.infinium.connector.hook;

import ai.infinium.connector.config.ConnectorSettings;
import ai.infinium.connector.config.UserDirs;
import ai.infinium.connector.diag.ErrorLog;
import ai.infinium.connector.spool.PrivateFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

/**
 * {@code infinium hook --agent NAME}: the agent's hot path. Stamps the event, appends it to the
 * session's spool and, at the end of a turn or session, starts the flush worker detached.
 * Never writes to stdout, never throws: every failure goes to the error log.
 */
public final class HookCommand {
    /** Larger payloads are cut off; a 30 MB tool output is recorded whole, a runaway stream is not. */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
    static final long STALE_SCAN_INTERVAL_MS = 60_000;

    /** Starts the flush worker; the hook's is detached, the demo's and tests' run in-process. */
    public interface FlushStarter {
        void start(List<String> flushArgs) throws IOException;
    }

    private HookCommand() {}

    public static void run(String[] args, InputStream stdin, Map<String, String> env) {
        // An instance, not a method reference: no lambda bootstrap on every event.
        run(args, stdin, env, DetachedFlush.INSTANCE);
    }

    public static void run(String[] args, InputStream stdin, Map<String, String> env, FlushStarter flush) {
        UserDirs dirs = new UserDirs(env);
        ErrorLog log = new ErrorLog(dirs.state());
        try {
            String agent = agentArg(args);
            HookProfile profile = HookProfiles.forAgent(agent);
            byte[] payload = readAll(stdin, log);
            if (payload.length == 0 || isBlank(payload)) {
                log.error("hook --agent " + agent + ": empty event on stdin, nothing recorded");
                return;
            }
            Path agentDir = dirs.sessions().resolve(agent);
            String receivedAt = IsoMillis.now();
            StampedEvent event;
            try {
                event = StampedEvent.parse(payload, receivedAt);
            } catch (IOException e) {
                quarantine(agentDir, payload, receivedAt, e, log);
                return;
            }
            if (ProjectPause.isPaused(event.cwd())) {
                return;
            }
            Path spool = agentDir.resolve(SessionFileName.of(event.sessionId()) + ".jsonl");
            PrivateFiles.append(spool, event.line());

            ConnectorSettings settings = new ConnectorSettings(env);
            FlushTrigger trigger = profile.triggerFor(event.eventName());
            boolean wanted = (trigger == FlushTrigger.TURN_END && settings.flushOnStop())
                    || (trigger == FlushTrigger.SESSION_END && settings.flushOnSessionEnd());
            if (wanted) {
                flush.start(List.of("flush", "--session-file", spool.toString(), "--reason", trigger.reason()));
            } else if (staleScanDue(agentDir)) {
                flush.start(List.of("flush", "--stale"));
            }
        } catch (Throwable t) {
            log.error("hook failed: " + t);
        }
    }

    static String agentArg(String[] args) {
        for (int i = 1; i + 1 < args.length; i++) {
            if ("--agent".equals(args[i])) {
                String a = args[i + 1];
                return SessionFileName.isPlain(a) ? a : "unknown-agent";
            }
        }
        return "claude-code";
    }

    private static byte[] readAll(InputStream in, ErrorLog log) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(8192);
        byte[] chunk = new byte[65536];
        int n;
        long total = 0;
        while ((n = in.read(chunk)) > 0) {
            total += n;
            if (total > MAX_PAYLOAD_BYTES) {
                log.error("hook: event larger than " + MAX_PAYLOAD_BYTES + " bytes; the rest was not read");
                break;
            }
            buf.write(chunk, 0, n);
        }
        return buf.toByteArray();
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
    private static void quarantine(Path agentDir, byte[] payload, String receivedAt, IOException why, ErrorLog log) {
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
        if (Files.exists(marker)) {
            if (now - Files.getLastModifiedTime(marker).toMillis() < STALE_SCAN_INTERVAL_MS) {
                return false;
            }
            Files.setLastModifiedTime(marker, FileTime.fromMillis(now));
            return true;
        }
        Files.createDirectories(marker.getParent());
        Files.write(marker, new byte[0]);
        return true;
    }

}
