package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.BoundedPoll;
import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.spool.LargeJson;
import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Rebuilds the tool and subagent hook events of finished turns that never reached the spool
 * from the session's transcripts: in server mode every call's PreToolUse and PostToolUse (no hook
 * is installed for them, see {@link ClaudeHookInstaller#TRANSCRIPT_EVENTS}), and whatever Claude
 * Code's http hooks failed to deliver (they fail silently when the server taking them is down).
 * Each rebuilt event is stamped with the time of the transcript line it comes from and marked
 * {@code "recovered": "transcript"} in its spool line, plus {@code "planned": true} for the events
 * no hook is meant to deliver, so a trace flags only the steps whose hook went missing.
 *
 * <p>Only what is settled is rebuilt, so an event still on its way is never recorded twice:
 * Claude Code runs a call's PostToolUse hooks before it writes the call's result, and a turn's
 * tool hooks before its Stop, so a call with a written result, or of a turn that is over, has
 * had all its hooks run. A subagent's stop is settled once the call that waited for it returned,
 * or the session was told it finished, or the session is over.
 */
public final class ClaudeTranscriptRecovery {
    static final String SOURCE = "transcript";
    static final Duration TRANSCRIPT_WAIT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = LargeJson.mapper();

    private final BoundedPoll poll;
    private final Duration maxWait;

    public ClaudeTranscriptRecovery() {
        this(BoundedPoll.REAL, TRANSCRIPT_WAIT);
    }

    ClaudeTranscriptRecovery(BoundedPoll poll, Duration maxWait) {
        this.poll = poll;
        this.maxWait = maxWait;
    }

    /** The spool lines to append, oldest first; none when the spool already has everything. */
    public List<byte[]> recover(List<SpooledEvent> spooled, boolean sessionOver) {
        return recover(RecordedHooks.of(spooled), sessionOver);
    }

    /**
     * The same, from events already normalized, as an incremental flush holds them: the context
     * lines before its cursor (of settled turns) and what it read from the cursor on.
     */
    public List<byte[]> recoverFrom(List<AgentEvent> earlier, List<AgentEvent> read, boolean sessionOver) {
        return recoverFrom(earlier, read, sessionOver, java.util.Map.of());
    }

    /** @param cursors where the last flush stopped reading each transcript (by path), if anywhere */
    public List<byte[]> recoverFrom(List<AgentEvent> earlier, List<AgentEvent> read, boolean sessionOver,
            java.util.Map<String, ai.infinium.connector.io.FileCursor> cursors) {
        RecordedHooks hooks = RecordedHooks.ofEvents(earlier, read);
        return recover(hooks, sessionOver,
                hooks.mainTranscript() == null ? null : cursors.get(hooks.mainTranscript().toString()));
    }

    private List<byte[]> recover(RecordedHooks hooks, boolean sessionOver) {
        return recover(hooks, sessionOver, null);
    }

    private List<byte[]> recover(RecordedHooks hooks, boolean sessionOver, ai.infinium.connector.io.FileCursor mainFrom) {
        if (hooks.mainTranscript() == null || !Files.isReadable(hooks.mainTranscript()) || !hooks.nameTurns()) {
            return List.of(); // nothing to recover from (or no turn to place it in), and nothing worth waiting for
        }
        ClaudeTranscript transcript = awaitTranscript(hooks, mainFrom);
        ClaudeHookPayloads payloads = new ClaudeHookPayloads(hooks);
        List<Rebuilt> rebuilt = new ArrayList<>();
        for (TranscriptSubagent s : transcript.subagents()) {
            subagent(s, hooks, transcript, payloads, sessionOver, rebuilt);
        }
        for (TranscriptToolCall c : transcript.calls()) {
            TranscriptSubagent in = transcript.subagent(c.agentId());
            String turn = c.turnId() != null ? c.turnId() : in == null ? null : in.turnId();
            if (!hooks.turnOver(turn, sessionOver)) {
                continue;
            }
            boolean started = hooks.toolStarted(c.id());
            boolean ended = hooks.toolEnded(c.id());
            if (c.result() != null) {
                if (!started) {
                    add(rebuilt, c.at(), payloads.preToolUse(c, in));
                }
                if (!ended) {
                    add(rebuilt, c.result().at(), payloads.postToolUse(c, in));
                }
            } else if ((c.agentId() == null || sessionOver) && !started && !ended) {
                // Over, but no result: the call was cut short (or the transcript lags); it shows as unfinished.
                add(rebuilt, c.at(), payloads.preToolUse(c, in));
            }
        }
        rebuilt.sort(Comparator.comparing(Rebuilt::at));
        List<byte[]> lines = new ArrayList<>(rebuilt.size());
        for (Rebuilt r : rebuilt) {
            lines.add(line(r));
        }
        return lines;
    }

    private static void subagent(TranscriptSubagent s, RecordedHooks hooks, ClaudeTranscript transcript,
            ClaudeHookPayloads payloads, boolean sessionOver, List<Rebuilt> out) {
        TranscriptToolCall spawn = transcript.spawnOf(s);
        String turn = s.turnId() != null ? s.turnId() : spawn == null ? null : spawn.turnId();
        if (!hooks.turnOver(turn, sessionOver)) {
            if (hooks.subagentOfEarlierTurn(s.agentId())) {
                stop(s, hooks, spawn, payloads, sessionOver, out); // a background subagent outliving its turn
            }
            return;
        }
        if (!hooks.subagentStarted(s.agentId()) && (s.answered() || s.finished())) {
            add(out, s.startedAt(), payloads.subagentStart(s));
        }
        stop(s, hooks, spawn, payloads, sessionOver, out);
    }

    private static void stop(TranscriptSubagent s, RecordedHooks hooks, TranscriptToolCall spawn,
            ClaudeHookPayloads payloads, boolean sessionOver, List<Rebuilt> out) {
        boolean waitedFor = spawn != null && spawn.result() != null && !spawn.result().launchedInBackground();
        if (!hooks.subagentStopped(s.agentId()) && s.finished()
                && (waitedFor || hooks.subagentNotified(s.agentId()) || sessionOver)) {
            add(out, s.finishedAt(), payloads.subagentStop(s));
        }
    }

    /**
     * A Stop can arrive before the transcript has the turn's last lines: wait, boundedly, until
     * it holds the whole turn the newest Stop ended. Recovery must not take a lagging transcript
     * for a complete one; past the bound, what is written is what is recovered.
     */
    private ClaudeTranscript awaitTranscript(RecordedHooks hooks, ai.infinium.connector.io.FileCursor mainFrom) {
        ClaudeTranscript[] read = {null};
        String turn = hooks.lastStoppedTurn();
        poll.until(() -> {
            read[0] = ClaudeTranscript.read(hooks.mainTranscript(), hooks.transcripts(),
                    id -> !hooks.toolStarted(id) || !hooks.toolEnded(id), mainFrom);
            return turn == null || read[0].turnWritten(turn, hooks.lastStopMessage());
        }, maxWait);
        return read[0];
    }

    private static void add(List<Rebuilt> out, String at, ObjectNode event) {
        if (at == null) {
            return; // a line without a time cannot be placed among the hooks' events
        }
        try {
            out.add(new Rebuilt(Instant.parse(at), at, event));
        } catch (DateTimeParseException unstamped) {
            // as above
        }
    }

    private static byte[] line(Rebuilt r) {
        ObjectNode line = JSON.createObjectNode();
        line.put("received_at", r.stamp());
        line.put("recovered", SOURCE);
        if (ClaudeHookInstaller.TRANSCRIPT_EVENTS.contains(r.event().path("hook_event_name").asText())) {
            line.put("planned", true); // server mode installs no hook for it: the transcript is its source
        }
        line.set("event", r.event());
        try {
            return (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One rebuilt hook event and the transcript time it is stamped with. */
    private record Rebuilt(Instant at, String stamp, ObjectNode event) {}
}
