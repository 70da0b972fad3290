package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.UsageSource;
import com.fasterxml.jackson.databind.JsonNode;
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
 * the last user line before it ({@code promptId}).
 */
public final class ClaudeTranscriptUsage implements UsageSource {
    @Override
    public String provider() {
        return "anthropic";
    }

    @Override
    public List<ApiCall> calls(List<AgentEvent> events) {
        Map<String, ApiCall> byKey = new LinkedHashMap<>();
        for (Path p : transcripts(events)) {
            readInto(p, byKey, !p.equals(mainTranscript(events)));
        }
        return new ArrayList<>(byKey.values());
    }

    @Override
    public void awaitTurnWritten(AgentEvent turnEnd, List<AgentEvent> events, Duration max) {
        String expected = turnEnd.output();
        Path transcript = mainTranscript(events);
        if (expected == null || expected.isBlank() || transcript == null) {
            return;
        }
        String text = expected.strip();
        BoundedPoll.REAL.until(() -> hasAssistantText(transcript, text), max);
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

    private static void readInto(Path transcript, Map<String, ApiCall> byKey, boolean subagent) {
        String[] prompt = {null};
        TranscriptLines.forEach(transcript, line -> line.contains("\"promptId\"") || line.contains("\"usage\""), d -> {
            String type = d.path("type").asText();
            if ("user".equals(type) && d.hasNonNull("promptId")) {
                prompt[0] = d.get("promptId").asText();
            } else if ("assistant".equals(type)) {
                add(d, prompt[0], byKey, subagent);
            }
            return true;
        });
    }

    private static void add(JsonNode d, String prompt, Map<String, ApiCall> byKey, boolean subagent) {
        JsonNode msg = d.path("message");
        JsonNode u = msg.path("usage");
        String id = msg.path("id").asText("");
        String model = msg.path("model").asText("");
        if (u.isMissingNode() || id.isEmpty() || model.startsWith("<")) {
            return; // "<synthetic>" messages stand for API errors: no request was billed.
        }
        String key = id + ":" + d.path("requestId").asText("");
        long input = u.path("input_tokens").asLong(0);
        long cacheCreate = u.path("cache_creation_input_tokens").asLong(0);
        long cacheRead = u.path("cache_read_input_tokens").asLong(0);
        long output = u.path("output_tokens").asLong(0);
        ApiCall prev = byKey.get(key);
        if (prev != null) {
            output = Math.max(output, prev.completionTokens());
            prompt = prev.turnId();
        }
        byKey.put(key, new ApiCall(key, prompt, model, input + cacheCreate + cacheRead, output,
                Map.of("cache_read_input_tokens", cacheRead, "cache_creation_input_tokens", cacheCreate), subagent));
    }

    private static boolean hasAssistantText(Path transcript, String expected) {
        boolean[] found = {false};
        TranscriptLines.forEach(transcript, line -> line.contains("\"assistant\""), d -> {
            for (JsonNode block : d.path("message").path("content")) {
                if (block.path("text").asText("").strip().equals(expected)) {
                    found[0] = true;
                    return false;
                }
            }
            return true;
        });
        return found[0];
    }
}
