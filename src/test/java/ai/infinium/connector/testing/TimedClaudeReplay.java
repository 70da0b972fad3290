package ai.infinium.connector.testing;

import ai.infinium.connector.agent.claude.ClaudeCode;
import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.hook.FlushTrigger;
import ai.infinium.connector.hook.SessionFileName;
import ai.infinium.connector.hook.StampedEvent;
import ai.infinium.connector.spool.PrivateFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A captured Claude Code session replayed as it happened in time: each hook event is stamped
 * with the moment the capturing hook received it ({@code arrivals.txt}, from the capture's
 * {@code _hook_calls.jsonl}), and before it arrives the transcripts hold only the lines Claude
 * Code had stamped by then. So a flush at a Stop sees the transcript as it was at that Stop (a
 * background subagent still running, say), not as it was after the session. Events can be
 * declared lost, as an http hook to a dead server loses them; flushes run where the hook would
 * start them, in-process.
 */
public final class TimedClaudeReplay {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestEnv env;
    private final String scenario;
    private final Path project;
    private final RecordedSession session;
    private final Map<Path, List<String>> transcripts = new LinkedHashMap<>();
    private Path spool;

    public TimedClaudeReplay(TestEnv env, String scenario, Path project) throws IOException {
        this.env = env;
        this.scenario = scenario;
        this.project = project;
        this.session = Fixtures.claudeCode(env.root, scenario);
        try (Stream<Path> files = Files.walk(env.root.resolve("claude"))) {
            for (Path p : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                transcripts.put(p, Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
    }

    /** Replays every event of the scenario, except those {@code lost} names (fixture file names). */
    public TimedClaudeReplay run(Predicate<String> lost) throws IOException {
        ClaudeCode profile = new ClaudeCode();
        for (Map.Entry<String, String> e : arrivals().entrySet()) {
            String file = e.getKey();
            String at = e.getValue();
            writeTranscriptsAsOf(Instant.parse(at));
            if (lost.test(file)) {
                continue;
            }
            FlushTrigger trigger = profile.triggerFor(deliver(file, at));
            if (trigger != FlushTrigger.NONE) {
                flush(trigger.reason());
            }
        }
        return this;
    }

    /** Appends one event as the hook would, stamped {@code at}, without any flush; returns its name. */
    public String deliver(String file, String at) throws IOException {
        StampedEvent stamped = StampedEvent.parse(session.payload(file, project), at);
        spool = env.dirs().sessions().resolve("claude-code")
                .resolve(SessionFileName.of(stamped.sessionId()) + ".jsonl");
        PrivateFiles.append(spool, stamped.line());
        return stamped.eventName();
    }

    /** Runs the flush the hook starts, with {@code reason} as its {@code --reason}. */
    public void flush(String reason) {
        TestEnv.Result r = env.run(env.root, "flush", "--session-file", spool.toString(), "--reason", reason);
        if (r.code() != 0) {
            throw new AssertionError("flush failed: " + r);
        }
    }

    public Path spool() {
        return spool;
    }

    /** The session's spool lines as parsed JSON, in file order. */
    public List<JsonNode> spoolLines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(spool, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    /** Arrival time of each event file, in firing order. */
    public Map<String, String> arrivals() throws IOException {
        return Fixtures.claudeArrivals(scenario);
    }

    /** Each transcript cut before its first line stamped after {@code t} (unstamped lines go with the ones before). */
    private void writeTranscriptsAsOf(Instant t) throws IOException {
        for (Map.Entry<Path, List<String>> e : transcripts.entrySet()) {
            StringBuilder prefix = new StringBuilder();
            for (String line : e.getValue()) {
                JsonNode stamp = JSON.readTree(line).get("timestamp");
                if (stamp != null && Instant.parse(stamp.asText()).isAfter(t)) {
                    break;
                }
                prefix.append(line).append('\n');
            }
            Files.writeString(e.getKey(), prefix, StandardCharsets.UTF_8);
        }
    }
}
