package ai.infinium.connector.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What has been handed to the outbox for one session: the trace keys, the spool lines those
 * traces covered and the API responses whose usage they counted. Written atomically after the
 * outbox entries exist, so a crash can at worst queue a trace twice under the same key, which
 * the idempotency key turns into one delivery.
 */
public final class SessionState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> traceKeys = new LinkedHashSet<>();
    private final BitSet consumedLines = new BitSet();
    private final Set<String> countedResponses = new LinkedHashSet<>();
    private boolean unconfiguredNoted;

    public static SessionState load(Path file) throws IOException {
        SessionState s = new SessionState();
        if (!Files.exists(file)) {
            return s;
        }
        JsonNode root = JSON.readTree(file.toFile());
        root.path("trace_keys").forEach(n -> s.traceKeys.add(n.asText()));
        root.path("counted_responses").forEach(n -> s.countedResponses.add(n.asText()));
        for (JsonNode r : root.path("consumed_lines")) {
            int from = r.path(0).asInt();
            int to = r.path(1).asInt();
            s.consumedLines.set(from, to + 1);
        }
        s.unconfiguredNoted = root.path("unconfigured_noted").asBoolean(false);
        return s;
    }

    public void save(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode keys = root.putArray("trace_keys");
        traceKeys.forEach(keys::add);
        ArrayNode ranges = root.putArray("consumed_lines");
        for (int i = consumedLines.nextSetBit(0); i >= 0; ) {
            int end = consumedLines.nextClearBit(i) - 1;
            ranges.addArray().add(i).add(end);
            i = consumedLines.nextSetBit(end + 1);
        }
        ArrayNode counted = root.putArray("counted_responses");
        countedResponses.forEach(counted::add);
        if (unconfiguredNoted) {
            root.put("unconfigured_noted", true);
        }
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    public boolean hasTrace(String key) {
        return traceKeys.contains(key);
    }

    public boolean isConsumed(int line) {
        return consumedLines.get(line);
    }

    public boolean isCounted(String responseKey) {
        return countedResponses.contains(responseKey);
    }

    public void recordTrace(String key, Iterable<Integer> lines, Iterable<String> responses) {
        traceKeys.add(key);
        lines.forEach(consumedLines::set);
        responses.forEach(countedResponses::add);
    }

    /** Marks that the log already says this session has no configuration; true the first time. */
    public boolean noteUnconfigured() {
        boolean first = !unconfiguredNoted;
        unconfiguredNoted = true;
        return first;
    }

}
