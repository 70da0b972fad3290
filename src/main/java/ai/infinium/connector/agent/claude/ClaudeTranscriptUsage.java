package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.BoundedPoll;
import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.EventTurns;
import ai.infinium.connector.agent.UsageRead;
import ai.infinium.connector.agent.UsageSource;
import ai.infinium.connector.io.FileCursor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Token usage from Claude Code's transcripts (the session's and its subagents'). The transcript
 * writes one line per content block and repeats the response's usage on each, so a response is
 * keyed by {@code message.id:requestId} and counted once, with the largest {@code output_tokens}
 * of its lines (the count grows while a response streams). A response belongs to the prompt of
 * the last user line before it ({@code promptId}; in transcripts older than {@code promptId}, the
 * prompt that line's place among the hooks' prompts gives it), a subagent's to the turn that
 * spawned it. Each file is read from where the previous flush left it, so a turn costs what the
 * turn wrote, not what the session wrote.
 */
public final class ClaudeTranscriptUsage implements UsageSource {
    @Override
    public String provider() {
        return "anthropic";
    }

    @Override
    public UsageRead read(List<AgentEvent> events, EventTurns turns, Map<String, FileCursor> from, AgentEvent turnEnd,
            Duration max) {
        Map<String, ApiCall> byKey = new LinkedHashMap<>();
        Path main = mainTranscript(events);
        String expected = turnEnd == null || turnEnd.output() == null ? "" : turnEnd.output().strip();
        boolean hooksNameTurns = hooksNameTurns(events);
        List<TranscriptScan> scans = new ArrayList<>();
        SpawnTurns spawns = null;
        for (Path p : transcripts(events)) {
            FileCursor cursor = from.getOrDefault(p.toString(), FileCursor.START);
            if (!cursor.continues(p)) {
                cursor = FileCursor.START; // truncated or replaced: read it whole; counted keys stop double counts
            }
            TranscriptScan scan = new TranscriptScan(p, !p.equals(main), cursor, byKey);
            if (p.equals(main)) {
                if (!hooksNameTurns) {
                    scan.inOrderOf(events, turns);
                }
                if (!expected.isEmpty()) {
                    awaitAnswer(scan.lookFor(expected), max);
                } else {
                    scan.readMore();
                }
            } else {
                if (spawns == null) { // the session's transcript comes first: what it said is known now
                    spawns = new SpawnTurns(events, turns, scans.isEmpty() ? null : scans.get(0));
                }
                scan.spawnedIn(spawns, agentId(p), !hooksNameTurns).readMore();
            }
            scans.add(scan);
        }
        return new TranscriptRead(byKey, scans);
    }

    /**
     * Whether the hooks name each prompt's turn ({@code prompt_id}, Claude Code 2.1.196 on), as
     * the transcript's {@code promptId}s then do; before, neither side names turns and the
     * transcript is lined up with the prompts by their order.
     */
    static boolean hooksNameTurns(List<AgentEvent> events) {
        boolean prompted = false;
        for (AgentEvent e : events) {
            if (e.kind() == EventKind.PROMPT) {
                if (e.turnId() != null) {
                    return true;
                }
                prompted = true;
            }
        }
        return !prompted;
    }

    /** {@code agent-<id>.jsonl}: the id hooks and Agent (Task) results give the subagent. */
    private static String agentId(Path transcript) {
        String name = transcript.getFileName().toString();
        return name.startsWith("agent-") && name.endsWith(".jsonl")
                ? name.substring("agent-".length(), name.length() - ".jsonl".length()) : name;
    }

    /**
     * Claude Code may fire Stop before its transcript has the final answer: keep reading what
     * the file appends, at most {@code max}, until a text block equal to the answer shows up.
     */
    private static void awaitAnswer(TranscriptScan scan, Duration max) {
        BoundedPoll.REAL.until(() -> {
            scan.readMore();
            return scan.found();
        }, max);
    }

    static Path mainTranscript(List<AgentEvent> events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            String p = events.get(i).tags().get("transcript_path");
            if (p != null && !p.isBlank()) {
                return Path.of(p);
            }
        }
        return null;
    }

    /**
     * The session transcript, then every subagent transcript: in the session's folder, beside the
     * session transcript for the versions that kept them there, or named by a SubagentStop.
     */
    static Set<Path> transcripts(List<AgentEvent> events) {
        Set<Path> paths = new LinkedHashSet<>();
        Path main = mainTranscript(events);
        if (main == null) {
            return paths;
        }
        paths.add(main);
        paths.addAll(SubagentTranscripts.nested(main));
        if (!hooksNameTurns(events)) {
            paths.addAll(SubagentTranscripts.beside(main));
        }
        for (AgentEvent e : events) {
            if (e.kind() == EventKind.SUBAGENT_STOP) {
                String p = e.tags().get("agent_transcript_path");
                if (p != null && !p.isBlank()) {
                    paths.add(Path.of(p));
                }
            }
        }
        return paths;
    }
}
