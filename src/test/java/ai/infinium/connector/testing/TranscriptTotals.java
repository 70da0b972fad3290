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
 * prompt of the user line before it.
 */
public final class TranscriptTotals {
    public record Totals(long prompt, long completion, int calls) {
        public Totals plus(Totals o) {
            return new Totals(prompt + o.prompt, completion + o.completion, calls + o.calls);
        }
    }

    private final Map<String, long[]> byMessage = new HashMap<>();
    private final Map<String, String> promptOf = new HashMap<>();

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
            }
        }
        return t;
    }

    public Totals forPrompt(String promptId) {
        long in = 0;
        long out = 0;
        int n = 0;
        for (Map.Entry<String, long[]> e : byMessage.entrySet()) {
            if (promptId.equals(promptOf.get(e.getKey()))) {
                in += e.getValue()[0];
                out += e.getValue()[1];
                n++;
            }
        }
        return new Totals(in, out, n);
    }
}
