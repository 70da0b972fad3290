package ai.infinium.connector.agent.claude;

import ai.infinium.connector.spool.LargeJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a session's transcripts say happened, as far as they have been written: every tool call
 * (the session's own and its subagents'), every subagent, and which turns the transcript has
 * finished writing. Assistant lines carry no {@code promptId}: they belong to the turn of the
 * user line before them, as in {@link ClaudeTranscriptUsage}.
 */
final class ClaudeTranscript {
    private static final ObjectMapper JSON = LargeJson.mapper();
    /** A result known only to be there: its call's hooks have reported the rest. */
    private static final TranscriptToolCall.Result RETURNED = new TranscriptToolCall.Result(null, null, false, null,
            null, false);

    private final Map<String, TranscriptToolCall> calls = new LinkedHashMap<>();
    private final Map<String, TranscriptSubagent> subagents = new LinkedHashMap<>();
    /** Per turn of the main transcript: whether its last response so far ended the turn. */
    private final Map<String, Boolean> turnAnswered = new HashMap<>();
    /** Per turn of the main transcript: the text blocks of its responses, stripped. */
    private final Map<String, Set<String>> turnTexts = new HashMap<>();

    private final Predicate<String> keep;

    private ClaudeTranscript(Predicate<String> keep) {
        this.keep = keep;
    }

    static ClaudeTranscript read(Path main, Collection<Path> subagentTranscripts) {
        return read(main, subagentTranscripts, id -> true);
    }

    /**
     * @param keep whether a call's input and result content are wanted; the others are kept
     *     without them, so a long session's tool output is not all held in memory at once
     */
    static ClaudeTranscript read(Path main, Collection<Path> subagentTranscripts, Predicate<String> keep) {
        return read(main, subagentTranscripts, keep, null);
    }

    /**
     * @param mainFrom where the last flush stopped reading the session's transcript (its usage
     *     cursor), or null: what lies before it belongs to turns already sent, and a long
     *     session's transcript is not read whole again for every turn. A cursor that no longer
     *     fits the file (rewritten, truncated) is ignored. Subagent transcripts are read whole.
     */
    static ClaudeTranscript read(Path main, Collection<Path> subagentTranscripts, Predicate<String> keep,
            ai.infinium.connector.io.FileCursor mainFrom) {
        ClaudeTranscript t = new ClaudeTranscript(keep);
        if (mainFrom != null && !mainFrom.atStart() && main != null && mainFrom.continues(main)) {
            t.readFile(main, null, mainFrom.offset(), mainFrom.carry().get(TranscriptScan.PROMPT));
        } else {
            t.readFile(main, null);
        }
        for (Path p : subagentTranscripts) {
            String name = p.getFileName().toString();
            if (!p.equals(main) && name.startsWith("agent-") && name.endsWith(".jsonl")) {
                t.readSubagent(p, name.substring("agent-".length(), name.length() - ".jsonl".length()));
            }
        }
        return t;
    }

    Collection<TranscriptToolCall> calls() {
        return calls.values();
    }

    TranscriptToolCall call(String toolUseId) {
        return toolUseId == null ? null : calls.get(toolUseId);
    }

    Collection<TranscriptSubagent> subagents() {
        return subagents.values();
    }

    TranscriptSubagent subagent(String agentId) {
        return agentId == null ? null : subagents.get(agentId);
    }

    /**
     * Whether the main transcript holds the whole of a turn: its final answer (a last response
     * that ended the turn, or one with the text the Stop reported, for transcripts that leave
     * {@code stop_reason} empty), and a result for every tool call the session's own agent made.
     */
    boolean turnWritten(String turnId, String finalText) {
        boolean answered = turnAnswered.getOrDefault(turnId, false)
                || finalText != null && turnTexts.getOrDefault(turnId, Set.of()).contains(finalText.strip());
        if (!answered) {
            return false;
        }
        for (TranscriptToolCall c : calls.values()) {
            if (c.agentId() == null && turnId.equals(c.turnId()) && c.result() == null) {
                return false;
            }
        }
        return true;
    }

    /** The Agent call that started a subagent: named in its meta file, or the call whose result names it. */
    TranscriptToolCall spawnOf(TranscriptSubagent s) {
        TranscriptToolCall byMeta = call(s.spawnedBy());
        if (byMeta != null) {
            return byMeta;
        }
        for (TranscriptToolCall c : calls.values()) {
            if (c.result() != null && s.agentId().equals(c.result().startedAgent())) {
                return c;
            }
        }
        return null;
    }

    /** What one file holds; {@code agentId} null for the session's own transcript. */
    private FileFacts readFile(Path file, String agentId) {
        return readFile(file, agentId, 0, null);
    }

    private FileFacts readFile(Path file, String agentId, long offset, String turnInForce) {
        FileFacts f = new FileFacts();
        f.turn = turnInForce;
        TranscriptLines.forEach(file, offset, (buf, off, len) -> {
            if (f.startedAt != null && skimmedResults(TranscriptLines.head(buf, off, len), f)) {
                return true;
            }
            JsonNode d = TranscriptLines.outline(buf, off, len);
            if (d != null && holdsKeptCall(d)) {
                d = TranscriptLines.whole(buf, off, len);
            }
            if (d == null) {
                return true; // a line cut short, still being written
            }
            String type = d.path("type").asText();
            String at = d.path("timestamp").asText(null);
            if ("user".equals(type)) {
                if (d.hasNonNull("promptId")) {
                    f.turn = d.get("promptId").asText();
                    f.firstTurn = f.firstTurn == null ? f.turn : f.firstTurn;
                }
                f.startedAt = f.startedAt == null ? at : f.startedAt;
                f.cwd = f.cwd == null ? d.path("cwd").asText(null) : f.cwd;
                results(d, at, f.turn);
            } else if ("assistant".equals(type)) {
                assistant(d, at, f, agentId);
            }
            return true;
        });
        return f;
    }

    /**
     * Most of a transcript's bytes are tool results (the output, twice: as the model read it and
     * in {@code toolUseResult}). A result line whose calls all reported by their hooks is read
     * only up to its message (its prompt and result ids) and its calls are marked as returned.
     * Not skimmed: a call whose input or result is wanted, an Agent call (its result names the
     * subagent it started), a line with anything but results, or without its prompt before its
     * message (an order this does not know).
     */
    private boolean skimmedResults(JsonNode head, FileFacts f) {
        if (head == null || !"user".equals(head.path("type").asText()) || !head.hasNonNull("promptId")) {
            return false;
        }
        JsonNode blocks = head.path("message").path("content");
        if (!blocks.isArray() || blocks.isEmpty()) {
            return false;
        }
        for (JsonNode block : blocks) {
            String id = block.path("tool_use_id").asText(null);
            if (!"tool_result".equals(block.path("type").asText()) || id == null || keep.test(id)) {
                return false;
            }
            TranscriptToolCall c = calls.get(id);
            if (c != null && ("Agent".equals(c.name()) || "Task".equals(c.name()))) {
                return false;
            }
        }
        f.turn = head.get("promptId").asText();
        f.firstTurn = f.firstTurn == null ? f.turn : f.firstTurn;
        for (JsonNode block : blocks) {
            String id = block.get("tool_use_id").asText();
            TranscriptToolCall c = calls.get(id);
            if (c != null && c.result() == null) {
                calls.put(id, c.withResult(RETURNED, f.turn));
            }
        }
        return true;
    }

    /** Whether a line's outline names a call whose input or result is wanted: then it is read whole. */
    private boolean holdsKeptCall(JsonNode outline) {
        for (JsonNode block : outline.path("message").path("content")) {
            String type = block.path("type").asText();
            String id = "tool_use".equals(type) ? block.path("id").asText(null)
                    : "tool_result".equals(type) ? block.path("tool_use_id").asText(null) : null;
            if (id != null && keep.test(id)) {
                return true;
            }
        }
        return false;
    }

    private void assistant(JsonNode d, String at, FileFacts f, String agentId) {
        JsonNode msg = d.path("message");
        String stop = msg.path("stop_reason").asText(null);
        boolean ends = stop != null && !"tool_use".equals(stop);
        String effort = d.path("effort").asText(null);
        StringBuilder text = new StringBuilder();
        for (JsonNode block : msg.path("content")) {
            String blockType = block.path("type").asText();
            if ("tool_use".equals(blockType) && block.hasNonNull("id")) {
                String id = block.get("id").asText();
                JsonNode input = keep.test(id) ? block.get("input") : null;
                calls.putIfAbsent(id, new TranscriptToolCall(id, block.path("name").asText(null), input, f.turn, agentId,
                        at, d.path("cwd").asText(null), effort, null));
            } else if ("text".equals(blockType)) {
                text.append(text.length() == 0 ? "" : "\n").append(block.path("text").asText());
                if (agentId == null && f.turn != null) {
                    turnTexts.computeIfAbsent(f.turn, k -> new HashSet<>()).add(block.path("text").asText().strip());
                }
            }
        }
        if (agentId == null && f.turn != null) {
            turnAnswered.put(f.turn, ends);
        }
        // A response written as several lines (one per content block) shares its message id.
        String messageId = msg.path("id").asText("");
        if (!messageId.equals(f.lastMessageId)) {
            f.lastText.setLength(0);
        }
        f.lastMessageId = messageId;
        if (text.length() > 0) {
            f.lastText.append(f.lastText.length() == 0 ? "" : "\n").append(text);
        }
        f.answered = true;
        f.ended = ends;
        f.endedAt = at;
        f.effort = effort != null ? effort : f.effort;
        f.agentType = f.agentType == null ? d.path("attributionAgent").asText(null) : f.agentType;
    }

    private void results(JsonNode d, String at, String turn) {
        JsonNode content = d.path("message").path("content");
        if (!content.isArray()) {
            return;
        }
        int count = 0;
        for (JsonNode block : content) {
            count += "tool_result".equals(block.path("type").asText()) ? 1 : 0;
        }
        for (JsonNode block : content) {
            TranscriptToolCall c = "tool_result".equals(block.path("type").asText())
                    ? calls.get(block.path("tool_use_id").asText()) : null;
            if (c == null || c.result() != null) {
                continue;
            }
            // toolUseResult belongs to the line; only a line with one result says whose it is.
            JsonNode structured = count == 1 ? d.get("toolUseResult") : null;
            String startedAgent = structured == null ? null : structured.path("agentId").asText(null);
            boolean background = structured != null && "async_launched".equals(structured.path("status").asText());
            boolean kept = keep.test(c.id());
            TranscriptToolCall.Result r = new TranscriptToolCall.Result(at, kept ? block.get("content") : null,
                    block.path("is_error").asBoolean(false), kept ? structured : null, startedAgent, background);
            calls.put(c.id(), c.withResult(r, turn));
        }
    }

    private void readSubagent(Path file, String agentId) {
        FileFacts f = readFile(file, agentId);
        if (f.startedAt == null) {
            return; // not even its prompt is written yet
        }
        JsonNode meta = meta(file.resolveSibling("agent-" + agentId + ".meta.json"));
        String type = meta.path("agentType").asText(null);
        subagents.put(agentId, new TranscriptSubagent(agentId, type != null ? type : f.agentType,
                meta.path("toolUseId").asText(null), f.firstTurn, f.startedAt, f.cwd, f.answered,
                f.ended ? f.lastText.toString() : null, f.ended ? f.endedAt : null, f.effort, file));
    }

    private static JsonNode meta(Path file) {
        try {
            return Files.isReadable(file) ? JSON.readTree(file.toFile()) : JSON.missingNode();
        } catch (IOException e) {
            return JSON.missingNode(); // the agent type also comes from the Agent call or the subagent's lines
        }
    }

    /** Running facts about one transcript file while it is read. */
    private static final class FileFacts {
        String turn;
        String firstTurn;
        String startedAt;
        String cwd;
        String effort;
        String agentType;
        boolean answered;
        boolean ended;
        String endedAt;
        String lastMessageId;
        final StringBuilder lastText = new StringBuilder();
    }
}
