package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventTurns;
import ai.infinium.connector.io.FileCursor;
import ai.infinium.connector.io.JsonLines;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One transcript file read from a cursor: its responses go into the map shared by all of the
 * session's files (keyed by {@code message.id:requestId}, counted once with the largest
 * {@code output_tokens} of their lines), attributed to the prompt of the last user line before
 * them; where each response starts and where the prompt changes are kept, so the next read can
 * start before the first response not counted yet.
 *
 * <p>Where the lines name no turn the hooks know (no {@code promptId}, as before Claude Code
 * 2.1.x named them), the session's transcript is lined up with the hooks' prompts by
 * {@link PromptOrder}, and a subagent's transcript takes the turn that spawned it
 * ({@link SpawnTurns}).
 */
final class TranscriptScan {
    static final String PROMPT = "prompt";
    private static final JsonFactory JSON = ai.infinium.connector.spool.LargeJson.factory();
    private static final byte[] PROMPT_ID = "\"promptId\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USER = "\"user\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AGENT_ID = "\"agentId\"".getBytes(StandardCharsets.US_ASCII);

    /** Where a response's first line starts, the prompt in force there and the line's time. */
    record Start(String key, long offset, String prompt, String at) {}

    /** A user line that set the prompt. */
    record PromptAt(long offset, String prompt) {}

    final Path path;
    private final boolean subagent;
    private final Map<String, ApiCall> byKey;
    final List<Start> starts = new ArrayList<>();
    final List<PromptAt> prompts = new ArrayList<>();
    /** Positional reads of the session's transcript: the subagent each Agent (Task) result names, and its turn. */
    final Map<String, String> spawns = new HashMap<>();
    private final String startPrompt;
    private String prompt;
    private long end;
    private int lines;
    private String promptAtEnd;
    private String expected;
    private boolean found;
    private PromptOrder order;
    private SpawnTurns spawnTurns;
    private String agentId;
    private boolean ignorePromptIds;
    private boolean stopped;
    private String stoppedAt;

    TranscriptScan(Path path, boolean subagent, FileCursor from, Map<String, ApiCall> byKey) {
        this.path = path;
        this.subagent = subagent;
        this.byKey = byKey;
        this.prompt = from.carry().get(PROMPT);
        this.startPrompt = prompt;
        this.end = from.offset();
        this.lines = from.line();
        this.promptAtEnd = prompt;
    }

    /** Also look for an assistant text block equal to {@code text} (stripped). */
    TranscriptScan lookFor(String text) {
        this.expected = text;
        return this;
    }

    /** The session's transcript, whose lines name no turn: its prompt lines are lined up with the hooks' prompts. */
    TranscriptScan inOrderOf(List<AgentEvent> events, EventTurns turns) {
        this.order = PromptOrder.of(events, turns, prompt);
        return this;
    }

    /**
     * A subagent's transcript: responses before any line names their turn belong to the turn that
     * spawned it.
     *
     * @param ignorePromptIds the hooks name no turns, so the {@code promptId}s of its lines are
     *     of no turn the session has
     */
    TranscriptScan spawnedIn(SpawnTurns turns, String agentId, boolean ignorePromptIds) {
        this.spawnTurns = turns;
        this.agentId = agentId;
        this.ignorePromptIds = ignorePromptIds;
        return this;
    }

    boolean found() {
        return found;
    }

    /** Whether the read stopped at a line ahead of the hooks, which the next read starts from. */
    boolean stopped() {
        return stopped;
    }

    /** The time of that line. */
    String stoppedAt() {
        return stoppedAt;
    }

    /** The prompt in force at the cursor this read started from. */
    String startPrompt() {
        return startPrompt;
    }

    /**
     * Reads what was appended since the last call. A partial last line, still being written,
     * is skipped and read again next time; an unreadable file reads as empty: usage is best effort.
     */
    void readMore() {
        if (!Files.isReadable(path)) {
            return;
        }
        try {
            long[] restart = {-1, 0}; // a line ahead of the hooks: the next read starts at it (offset, lines before)
            JsonLines.Position pos = JsonLines.scan(path, end, lines, (buf, off, len, start, n, done) -> {
                if (!visit(buf, off, len, start)) {
                    restart[0] = start;
                    restart[1] = n - 1;
                    return false;
                }
                if (done) {
                    promptAtEnd = prompt;
                }
                return true;
            });
            end = restart[0] >= 0 ? restart[0] : pos.end();
            lines = restart[0] >= 0 ? (int) restart[1] : pos.lines();
        } catch (IOException ignored) {
            // the trace still goes out with what was read
        }
    }

    /** False when the read must stop before this line. */
    private boolean visit(byte[] buf, int off, int len, long start) {
        if (!worthParsing(buf, off, len)) {
            return true;
        }
        boolean wantText = expected != null && !found;
        TranscriptLine l = parse(buf, off, len, wantText);
        if (l == null) {
            return true;
        }
        if ("user".equals(l.type)) {
            return user(l, start);
        } else if ("assistant".equals(l.type)) {
            if (wantText && l.texts.stream().anyMatch(t -> t.strip().equals(expected))) {
                found = true;
            }
            if (prompt == null && spawnTurns != null && l.hasUsage) {
                LineTurn spawn = spawnTurns.turnOf(agentId, l.timestamp);
                if (spawn.ahead()) {
                    return stop(l);
                }
                prompt = spawn.turnId();
                spawnTurns = null; // asked once: the answer holds for the whole file
            }
            add(l, start);
        }
        return true;
    }

    private boolean stop(TranscriptLine l) {
        stopped = true;
        stoppedAt = l.timestamp;
        return false;
    }

    /**
     * Whether the line can matter: one with a prompt or usage. Most lines (attachments, API
     * request dumps) have neither and are never parsed. Stops at the first key found, which in a
     * tool result (most of a transcript's bytes) comes before the result itself.
     */
    private boolean worthParsing(byte[] b, int off, int len) {
        if (order != null) {
            return LineBytes.hasEither(b, off, len, USER, USAGE); // prompt lines have no key of their own
        }
        return ignorePromptIds ? LineBytes.has(b, off, len, USAGE) : LineBytes.hasEither(b, off, len, PROMPT_ID, USAGE);
    }

    private TranscriptLine parse(byte[] buf, int off, int len, boolean wantText) {
        if (order == null) {
            return TranscriptLine.parse(JSON, buf, off, len, wantText);
        }
        TranscriptLine l = TranscriptLine.parse(JSON, buf, off, len, TranscriptLine.Want.PROMPT_TEXT);
        if (l != null && l.toolResult && "user".equals(l.type) && LineBytes.has(buf, off, len, AGENT_ID)) {
            // an Agent (Task) result names the subagent it started, after the output: read it all
            l = TranscriptLine.parse(JSON, buf, off, len, TranscriptLine.Want.PROMPT_TEXT_AND_AGENT);
        }
        return l;
    }

    /** False for a prompt line the hooks have not reported yet. */
    private boolean user(TranscriptLine l, long start) {
        if (order == null) {
            if (l.promptId != null && !ignorePromptIds) {
                prompt = l.promptId;
                prompts.add(new PromptAt(start, prompt));
            }
        } else if (l.toolResult) {
            if (l.startedAgent != null && prompt != null) {
                spawns.putIfAbsent(l.startedAgent, prompt);
            }
        } else if (PromptOrder.isPrompt(l)) {
            LineTurn opened = order.turnOpenedBy(l, prompt);
            if (opened.ahead()) {
                return stop(l);
            }
            if (opened.turnId() != null && !opened.turnId().equals(prompt)) {
                prompt = opened.turnId();
                prompts.add(new PromptAt(start, prompt));
            }
        }
        return true;
    }

    private void add(TranscriptLine l, long start) {
        if (!l.hasUsage || l.messageId.isEmpty() || l.model.startsWith("<")) {
            return; // "<synthetic>" messages stand for API errors: no request was billed.
        }
        String key = l.messageId + ":" + l.requestId;
        long output = l.output;
        String turn = prompt;
        ApiCall prev = byKey.get(key);
        if (prev != null) {
            output = Math.max(output, prev.completionTokens());
            turn = prev.turnId();
        } else {
            starts.add(new Start(key, start, prompt, l.timestamp));
        }
        byKey.put(key, new ApiCall(key, turn, l.model, l.input + l.cacheCreation + l.cacheRead, output,
                Map.of("cache_read_input_tokens", l.cacheRead, "cache_creation_input_tokens", l.cacheCreation),
                subagent).at(l.timestamp, subagent ? agentId : null));
    }

    /** The cursor after everything read, with the prompt in force there. */
    FileCursor endCursor() throws IOException {
        return FileCursor.at(path, end, lines, promptAtEnd == null ? Map.of() : Map.of(PROMPT, promptAtEnd));
    }
}
