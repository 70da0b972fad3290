package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.UsageSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    private static final ObjectMapper JSON = ai.infinium.connector.spool.LargeJson.mapper();

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
        long deadline = System.nanoTime() + max.toNanos();
        while (!hasAssistantText(transcript, expected.strip()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
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
        forEachLine(transcript, line -> line.contains("\"promptId\"") || line.contains("\"usage\""), d -> {
            String type = d.path("type").asText();
            if ("user".equals(type) && d.hasNonNull("promptId")) {
                prompt[0] = d.get("promptId").asText();
            } else if ("assistant".equals(type)) {
                add(d, prompt[0], byKey, subagent);
            }
            return true;
        });
    }

    /**
     * Feeds the transcript's JSON lines that pass {@code prefilter} (a cheap text test that spares
     * parsing most lines) to {@code visit} until it returns false. A partial last line, still being
     * written, is skipped; an unreadable file reads as empty: usage is best effort.
     */
    private static void forEachLine(Path transcript, java.util.function.Predicate<String> prefilter,
            java.util.function.Predicate<JsonNode> visit) {
        if (!Files.isReadable(transcript)) {
            return;
        }
        try (BufferedReader r = Files.newBufferedReader(transcript, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!prefilter.test(line)) {
                    continue;
                }
                JsonNode d;
                try {
                    d = JSON.readTree(line);
                } catch (IOException partialLine) {
                    continue;
                }
                if (!visit.test(d)) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // the trace still goes out with what was read
        }
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
        forEachLine(transcript, line -> line.contains("\"assistant\""), d -> {
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
