package ai.infinium.connector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The expected token totals, computed independently of the production code: straight from the
 * transcript lines, one entry per message id (the largest output count wins), grouped by the
 * prompt of the user line before it, by the session the line says it is of, or by message id.
 */
public final class TranscriptTotals {
    public record Totals(long prompt, long completion, int calls) {
        public Totals plus(Totals o) {
            return new Totals(prompt + o.prompt, completion + o.completion, calls + o.calls);
        }
    }

    private final Map<String, long[]> byMessage = new HashMap<>();
    private final Map<String, String> promptOf = new HashMap<>();
    private final Map<String, String> sessionOf = new HashMap<>();

    public static TranscriptTotals of(List<Path> transcripts) throws IOException {
        TranscriptTotals t = new TranscriptTotals();
        ObjectMapper json = new ObjectMapper();
        for (Path p : transcripts) {
            String prompt = null;
            for (String line : Files.readAllLines(p)) {
                JsonNode d = json.readTree(line);
                if (d.path("type").asText().equals("user") && d.has("promptId")) {
                    prompt = d.get("promptId").asText();
                }
                JsonNode m = d.path("message");
                if (!d.path("type").asText().equals("assistant") || !m.has("usage")
                        || m.path("model").asText().equals("<synthetic>")) {
                    continue;
                }
                JsonNode u = m.get("usage");
                long in = u.path("input_tokens").asLong() + u.path("cache_creation_input_tokens").asLong()
                        + u.path("cache_read_input_tokens").asLong();
                long out = u.path("output_tokens").asLong();
                String id = m.path("id").asText();
                long[] prev = t.byMessage.get(id);
                t.byMessage.put(id, new long[] {in, prev == null ? out : Math.max(out, prev[1])});
                t.promptOf.putIfAbsent(id, prompt);
                t.sessionOf.putIfAbsent(id, d.path("sessionId").asText());
            }
        }
        return t;
    }

    public Totals forPrompt(String promptId) {
        return sum(id -> promptId.equals(promptOf.get(id)));
    }

    /** Every response of a session's files: its own transcript's and its subagents'. */
    public Totals forSession(String sessionId) {
        return sum(id -> sessionId.equals(sessionOf.get(id)));
    }

    /** The responses whose message ids start so (a synthesised fixture names its turns in them). */
    public Totals forMessagesStartingWith(String prefix) {
        return sum(id -> id.startsWith(prefix));
    }

    private Totals sum(java.util.function.Predicate<String> messageId) {
        long in = 0;
        long out = 0;
        int n = 0;
        for (Map.Entry<String, long[]> e : byMessage.entrySet()) {
            if (messageId.test(e.getKey())) {
                in += e.getValue()[0];
                out += e.getValue()[1];
                n++;
            }
        }
        return new Totals(in, out, n);
    }
}
