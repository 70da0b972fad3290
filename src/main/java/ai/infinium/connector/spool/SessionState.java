package ai.infinium.connector.spool;

import ai.infinium.connector.io.FileCursor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What has been handed to the outbox for one session: the trace keys, the spool lines those
 * traces covered and the API responses whose usage they counted. Written atomically after the
 * outbox entries exist, so a crash can at worst queue a trace twice under the same key, which
 * the idempotency key turns into one delivery.
 *
 * <p>Also where the next flush starts reading: the spool ({@link SpoolResume}) and each usage
 * file (a {@link FileCursor} per path). Both are an optimisation only: a state without them (one
 * written by an earlier version) or with cursors that no longer fit their files makes the flush
 * read everything, and the keys and lines above keep that from sending or counting anything twice.
 */
public final class SessionState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> traceKeys = new LinkedHashSet<>();
    private final BitSet consumedLines = new BitSet();
    private final Set<String> countedResponses = new LinkedHashSet<>();
    private boolean unconfiguredNoted;
    private boolean rebuilt;
    /** The model of the session's latest counted response: a failed turn, which has none, keeps it. */
    private String lastModel;
    private SpoolResume spoolResume;
    private final Map<String, FileCursor> usageCursors = new LinkedHashMap<>();

    /**
     * The state as saved, or, when the file is damaged (cut short, not JSON), a fresh state marked
     * {@link #rebuilt()}, the damaged file moved aside beside it ({@code .damaged}) for a person.
     * The flush then fills it in from what the outbox and history show was already queued or sent.
     */
    public static SessionState load(Path file) throws IOException {
        try {
            return read(file);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException | ClassCastException damaged) {
            Files.move(file, file.resolveSibling(file.getFileName() + ".damaged"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            SessionState s = new SessionState();
            s.rebuilt = true;
            return s;
        }
    }

    /** Whether {@link #load} found the file damaged and started afresh. */
    public boolean rebuilt() {
        return rebuilt;
    }

    /**
     * For a rebuilt state: these traces were queued or sent already (the outbox and history say
     * so); the events of their turns, {@code lines}, count as consumed, so nothing is sent twice.
     */
    public void adoptSent(String key, Iterable<Integer> lines) {
        traceKeys.add(key);
        lines.forEach(consumedLines::set);
    }

    private static SessionState read(Path file) throws IOException {
        SessionState s = new SessionState();
        if (!Files.exists(file)) {
            return s;
        }
        JsonNode root = JSON.readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        root.path("trace_keys").forEach(n -> s.traceKeys.add(n.asText()));
        root.path("counted_responses").forEach(n -> s.countedResponses.add(n.asText()));
        for (JsonNode r : root.path("consumed_lines")) {
            int from = r.path(0).asInt();
            int to = r.path(1).asInt();
            s.consumedLines.set(from, to + 1);
        }
        s.unconfiguredNoted = root.path("unconfigured_noted").asBoolean(false);
        s.lastModel = root.path("last_model").isTextual() ? root.get("last_model").asText() : null;
        s.spoolResume = spoolResume(root.path("spool_resume"));
        root.path("usage_cursors").fields().forEachRemaining(f -> {
            FileCursor c = cursor(f.getValue());
            if (c != null) {
                s.usageCursors.put(f.getKey(), c);
            }
        });
        return s;
    }

    /** Null for a missing or damaged entry: the flush then reads the whole spool. */
    private static SpoolResume spoolResume(JsonNode n) {
        FileCursor c = cursor(n);
        if (c == null || !n.path("context").isArray() || !n.path("turns").isArray()) {
            return null;
        }
        List<SpoolResume.LineRef> context = new ArrayList<>();
        for (JsonNode r : n.get("context")) {
            if (!r.path(0).canConvertToInt() || !r.path(1).canConvertToLong()) {
                return null;
            }
            context.add(new SpoolResume.LineRef(r.get(0).asInt(), r.get(1).asLong()));
        }
        List<String> turns = texts(n.get("turns"));
        List<String> unended = texts(n.path("unended_turns"));
        String current = n.path("current_turn").isTextual() ? n.get("current_turn").asText() : null;
        return new SpoolResume(c, context, new TurnLedger(turns, unended, n.path("prompts").asInt(0), current));
    }

    private static FileCursor cursor(JsonNode n) {
        if (!n.path("offset").canConvertToLong() || n.path("offset").asLong() < 0 || !n.path("tail").canConvertToLong()) {
            return null;
        }
        Map<String, String> carry = new LinkedHashMap<>();
        n.path("carry").fields().forEachRemaining(f -> carry.put(f.getKey(), f.getValue().asText()));
        return new FileCursor(n.get("offset").asLong(), n.path("line").asInt(0), n.get("tail").asLong(), carry);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(t -> out.add(t.asText()));
        return out;
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
        if (lastModel != null) {
            root.put("last_model", lastModel);
        }
        if (unconfiguredNoted) {
            root.put("unconfigured_noted", true);
        }
        if (spoolResume != null) {
            ObjectNode r = putCursor(root.putObject("spool_resume"), spoolResume.cursor());
            ArrayNode context = r.putArray("context");
            spoolResume.context().forEach(ref -> context.addArray().add(ref.line()).add(ref.offset()));
            TurnLedger t = spoolResume.turns();
            ArrayNode turns = r.putArray("turns");
            t.turnIds().forEach(turns::add);
            ArrayNode unended = r.putArray("unended_turns");
            t.unendedTurnIds().forEach(unended::add);
            r.put("prompts", t.prompts());
            if (t.currentTurnId() != null) {
                r.put("current_turn", t.currentTurnId());
            }
        }
        if (!usageCursors.isEmpty()) {
            ObjectNode files = root.putObject("usage_cursors");
            usageCursors.forEach((path, c) -> putCursor(files.putObject(path), c));
        }
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
    }

    private static ObjectNode putCursor(ObjectNode n, FileCursor c) {
        n.put("offset", c.offset()).put("line", c.line()).put("tail", c.tail());
        if (!c.carry().isEmpty()) {
            ObjectNode carry = n.putObject("carry");
            c.carry().forEach(carry::put);
        }
        return n;
    }

    /** Where the next flush starts in the spool; null means from the beginning. */
    public SpoolResume spoolResume() {
        return spoolResume;
    }

    public void resumeSpoolAt(SpoolResume resume) {
        spoolResume = resume;
    }

    public Map<String, FileCursor> usageCursors() {
        return Map.copyOf(usageCursors);
    }

    public void resumeUsageAt(Map<String, FileCursor> cursors) {
        usageCursors.clear();
        usageCursors.putAll(cursors);
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
    public String lastModel() {
        return lastModel;
    }

    public void noteModel(String model) {
        if (model != null && !model.isBlank()) {
            lastModel = model;
        }
    }

    public boolean noteUnconfigured() {
        boolean first = !unconfiguredNoted;
        unconfiguredNoted = true;
        return first;
    }

}
