package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.UsageRead;
import ai.infinium.connector.agent.UsageSource;
import ai.infinium.connector.io.FileCursor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
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
 * the last user line before it ({@code promptId}). Each file is read from where the previous
 * flush left it, so a turn costs what the turn wrote, not what the session wrote.
 */
public final class ClaudeTranscriptUsage implements UsageSource {
    @Override
    public String provider() {
        return "anthropic";
    }

    @Override
    public UsageRead read(List<AgentEvent> events, Map<String, FileCursor> from, AgentEvent turnEnd, Duration max) {
        Map<String, ApiCall> byKey = new LinkedHashMap<>();
        Path main = mainTranscript(events);
        String expected = turnEnd == null || turnEnd.output() == null ? "" : turnEnd.output().strip();
        List<TranscriptScan> scans = new ArrayList<>();
        for (Path p : transcripts(events)) {
            FileCursor cursor = from.getOrDefault(p.toString(), FileCursor.START);
            if (!cursor.continues(p)) {
                cursor = FileCursor.START; // truncated or replaced: read it whole; counted keys stop double counts
            }
            TranscriptScan scan = new TranscriptScan(p, !p.equals(main), cursor, byKey);
            if (p.equals(main) && !expected.isEmpty()) {
                awaitAnswer(scan.lookFor(expected), max);
            } else {
                scan.readMore();
            }
            scans.add(scan);
        }
        return new TranscriptRead(byKey, scans);
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

    /** The session transcript, then every subagent transcript beside it or named by a SubagentStop. */
    static Set<Path> transcripts(List<AgentEvent> events) {
        Set<Path> paths = new LinkedHashSet<>();
        Path main = mainTranscript(events);
        if (main == null) {
            return paths;
        }
        paths.add(main);
        String name = main.getFileName().toString();
        Path subDir = main.resolveSibling(name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name)
                .resolve("subagents");
        if (Files.isDirectory(subDir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(subDir, "agent-*.jsonl")) {
                List<Path> sorted = new ArrayList<>();
                ds.forEach(sorted::add);
                sorted.sort(null);
                paths.addAll(sorted);
            } catch (IOException ignored) {
                // An unreadable subagent directory loses only its usage, not the trace.
            }
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
