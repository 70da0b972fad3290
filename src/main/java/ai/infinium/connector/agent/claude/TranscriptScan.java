package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.io.FileCursor;
import ai.infinium.connector.io.JsonLines;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One transcript file read from a cursor: its responses go into the map shared by all of the
 * session's files (keyed by {@code message.id:requestId}, counted once with the largest
 * {@code output_tokens} of their lines), attributed to the prompt of the last user line before
 * them; where each response starts and where the prompt changes are kept, so the next read can
 * start before the first response not counted yet.
 */
final class TranscriptScan {
    static final String PROMPT = "prompt";
    private static final JsonFactory JSON = ai.infinium.connector.spool.LargeJson.factory();
    private static final byte[] PROMPT_ID = "\"promptId\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USAGE = "\"usage\"".getBytes(StandardCharsets.US_ASCII);

    /** Where a response's first line starts, and the prompt in force there. */
    record Start(String key, long offset, String prompt) {}

    /** A user line that set the prompt. */
    record PromptAt(long offset, String prompt) {}

    final Path path;
    private final boolean subagent;
    private final Map<String, ApiCall> byKey;
    final List<Start> starts = new ArrayList<>();
    final List<PromptAt> prompts = new ArrayList<>();
    private String prompt;
    private long end;
    private int lines;
    private String promptAtEnd;
    private String expected;
    private boolean found;

    TranscriptScan(Path path, boolean subagent, FileCursor from, Map<String, ApiCall> byKey) {
        this.path = path;
        this.subagent = subagent;
        this.byKey = byKey;
        this.prompt = from.carry().get(PROMPT);
        this.end = from.offset();
        this.lines = from.line();
        this.promptAtEnd = prompt;
    }

    /** Also look for an assistant text block equal to {@code text} (stripped). */
    TranscriptScan lookFor(String text) {
        this.expected = text;
        return this;
    }

    boolean found() {
        return found;
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
            JsonLines.Position pos = JsonLines.scan(path, end, lines, (buf, off, len, start, n, done) -> {
                visit(buf, off, len, start);
                if (done) {
                    promptAtEnd = prompt;
                }
                return true;
            });
            end = pos.end();
            lines = pos.lines();
        } catch (IOException ignored) {
            // the trace still goes out with what was read
        }
    }

    private void visit(byte[] buf, int off, int len, long start) {
        if (!worthParsing(buf, off, len)) {
            return;
        }
        boolean wantText = expected != null && !found;
        TranscriptLine l = TranscriptLine.parse(JSON, buf, off, len, wantText);
        if (l == null) {
            return;
        }
        if (wantText) {
            for (String t : l.texts) {
                if (t.strip().equals(expected)) {
                    found = true;
                }
            }
        }
        if ("user".equals(l.type) && l.promptId != null) {
            prompt = l.promptId;
            prompts.add(new PromptAt(start, prompt));
        } else if ("assistant".equals(l.type)) {
            add(l, start);
        }
    }

    /**
     * Whether the line has a prompt or usage, the only lines that matter: most lines (attachments,
     * API request dumps) have neither and are never parsed. Stops at the first key found, which in
     * a tool result (most of a transcript's bytes) comes before the result itself.
     */
    private static boolean worthParsing(byte[] b, int off, int len) {
        return LineBytes.hasEither(b, off, len, PROMPT_ID, USAGE);
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
            starts.add(new Start(key, start, prompt));
        }
        byKey.put(key, new ApiCall(key, turn, l.model, l.input + l.cacheCreation + l.cacheRead, output,
                Map.of("cache_read_input_tokens", l.cacheRead, "cache_creation_input_tokens", l.cacheCreation),
                subagent));
    }

    /** The cursor after everything read, with the prompt in force there. */
    FileCursor endCursor() throws IOException {
        return FileCursor.at(path, end, lines, promptAtEnd == null ? Map.of() : Map.of(PROMPT, promptAtEnd));
    }
}
