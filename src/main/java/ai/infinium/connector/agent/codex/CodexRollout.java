package ai.infinium.connector.agent.codex;

import ai.infinium.connector.io.JsonLines;
import ai.infinium.connector.spool.LargeJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the connector needs from a Codex rollout file ({@code $CODEX_HOME/sessions/…/rollout-*.jsonl}):
 * the exit code of each shell call (hooks are not told it; see {@link CodexExitCodes}), the turns that completed, and the
 * token usage as the increments between the cumulative {@code token_count} snapshots, each
 * attributed to the turn that was running.
 */
final class CodexRollout {
    private static final ObjectMapper JSON = LargeJson.mapper();
    private static final byte[] TASK_COMPLETE = "task_complete".getBytes(StandardCharsets.US_ASCII);

    /** One increase of the cumulative counters: one model response. */
    record Increment(String key, String turnId, String model, long input, long cached, long output, long reasoning,
            String timestamp) {}

    final Map<String, Integer> exitCodes = new HashMap<>();
    final Set<String> completedTurns = new HashSet<>();
    final List<Increment> increments = new ArrayList<>();

    static CodexRollout read(Path file) {
        CodexRollout r = new CodexRollout();
        if (file == null || !Files.isReadable(file)) {
            return r;
        }
        String id = file.getFileName().toString();
        CodexExitCodes exits = new CodexExitCodes();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            String turn = null;
            String model = null;
            long[] last = new long[5];
            int resets = 0;
            while ((line = in.readLine()) != null) {
                JsonNode d;
                try {
                    d = JSON.readTree(line);
                } catch (IOException partialLine) {
                    continue;
                }
                JsonNode p = d.path("payload");
                String type = d.path("type").asText();
                String ptype = p.path("type").asText();
                if (type.equals("turn_context")) {
                    turn = p.path("turn_id").asText(turn);
                    model = p.path("model").asText(model);
                } else if (ptype.equals("task_started")) {
                    turn = p.path("turn_id").asText(turn);
                } else if (ptype.equals("task_complete")) {
                    r.completedTurns.add(p.path("turn_id").asText());
                } else if (ptype.equals("token_count")) {
                    if (p.path("info").isObject()) {
                        JsonNode t = p.path("info").path("total_token_usage");
                        long[] now = {t.path("input_tokens").asLong(), t.path("cached_input_tokens").asLong(),
                                t.path("output_tokens").asLong(), t.path("reasoning_output_tokens").asLong(),
                                t.path("total_tokens").asLong()};
                        if (now[4] < last[4]) { // a process that restarted its counters: count from zero
                            last = new long[5];
                            resets++;
                        }
                        if (now[4] > last[4]) { // a repeated snapshot is not another response
                            r.increments.add(new Increment(id + ":" + resets + ":" + now[4], turn, model,
                                    now[0] - last[0], now[1] - last[1], now[2] - last[2], now[3] - last[3],
                                    d.path("timestamp").asText(null)));
                            last = now;
                        }
                    }
                } else {
                    exits.line(ptype, p);
                }
            }
        } catch (IOException ignored) {
            // an unreadable rollout costs the exit codes and usage it held, not the trace
        } finally {
            r.exitCodes.putAll(exits.byCall());
        }
        return r;
    }

    /**
     * Adds the turns the rollout shows completed from byte {@code from} on (a line start) to
     * {@code into}; returns where to continue, after the last complete line.
     */
    static long completedTurns(Path file, long from, Set<String> into) {
        if (file == null || !Files.isReadable(file)) {
            return from;
        }
        try {
            return JsonLines.scan(file, from, 0, (buf, off, len, start, n, done) -> {
                if (contains(buf, off, len, TASK_COMPLETE)) {
                    try {
                        JsonNode p = JSON.readTree(buf, off, len).path("payload");
                        if (p.path("type").asText().equals("task_complete")) {
                            into.add(p.path("turn_id").asText());
                        }
                    } catch (IOException brokenLine) {
                        // skipped, as read() skips it
                    }
                }
                return true;
            }).end();
        } catch (IOException e) {
            return from;
        }
    }

    private static boolean contains(byte[] b, int off, int len, byte[] needle) {
        outer:
        for (int i = off; i <= off + len - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
