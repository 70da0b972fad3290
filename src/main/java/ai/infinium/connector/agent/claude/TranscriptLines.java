package ai.infinium.connector.agent.claude;

import ai.infinium.connector.io.JsonLines;
import ai.infinium.connector.spool.LargeJson;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads a Claude Code transcript (JSONL) line by line, as far as it has been written, from its
 * bytes. Each user or assistant line is first read as its <em>outline</em>: its scalar fields,
 * {@code message} with its scalars and each content block's {@code type}, {@code id},
 * {@code name}, {@code text}, {@code tool_use_id} and {@code is_error}, and {@code toolUseResult}
 * cut to {@code agentId} and {@code status}. Tool inputs, tool results and file contents (most of
 * a transcript's bytes) are skipped over by the streaming parser, never built into strings.
 * Only a line the caller needs whole (a tool call it must rebuild) is parsed again in full.
 */
final class TranscriptLines {
    private static final ObjectMapper JSON = LargeJson.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> BLOCK_FIELDS = Set.of("type", "id", "name", "text", "tool_use_id", "is_error");
    private static final Set<String> TOOL_USE_RESULT_FIELDS = Set.of("agentId", "status");
    private static final byte[] USER = "\"user\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ASSISTANT = "\"assistant\"".getBytes(StandardCharsets.US_ASCII);

    private TranscriptLines() {}

    /** Receives one line's bytes; returns false to stop reading. */
    interface Visitor {
        boolean line(byte[] buf, int off, int len);
    }

    /**
     * Feeds the transcript's user and assistant lines from byte {@code offset} on (the start of a
     * line) to {@code visit} as bytes, until it returns false; the visitor reads each as much as it
     * needs: {@link #outline}, {@link #whole}, or a few values found in the bytes. A partial last
     * line, still being written, reads as no JSON object; an unreadable file reads as empty: what
     * is read from transcripts is best effort and must never stop a trace.
     */
    static void forEach(Path transcript, long offset, Visitor visit) {
        if (transcript == null || !Files.isReadable(transcript)) {
            return;
        }
        try {
            JsonLines.scan(transcript, offset, 0, (buf, off, len, start, n, done) ->
                    !LineBytes.hasEither(buf, off, len, USER, ASSISTANT) || visit.line(buf, off, len));
        } catch (IOException ignored) {
            // the trace still goes out with what was read
        }
    }

    /** The line as a tree, or null when it is not a JSON object (cut short, still being written). */
    static JsonNode whole(byte[] buf, int off, int len) {
        try {
            JsonNode d = JSON.readTree(buf, off, len);
            return d != null && d.isObject() ? d : null;
        } catch (IOException partialLine) {
            return null;
        }
    }

    /**
     * The line's fields up to its {@code message} and the message's outline, the rest of the line
     * left unread (in a tool result line, the output's second copy in {@code toolUseResult}); null
     * when the line is no JSON object or holds no message.
     */
    static ObjectNode head(byte[] buf, int off, int len) {
        return read(buf, off, len, true);
    }

    /** The line's outline (see above), or null when it is not a JSON object. */
    static JsonNode outline(byte[] buf, int off, int len) {
        return read(buf, off, len, false);
    }

    private static ObjectNode read(byte[] buf, int off, int len, boolean headOnly) {
        try (JsonParser p = JSON.getFactory().createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            ObjectNode line = NODES.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("message") && t == JsonToken.START_OBJECT) {
                    line.set(name, message(p));
                    if (headOnly) {
                        return line;
                    }
                } else if (name.equals("toolUseResult") && t == JsonToken.START_OBJECT) {
                    line.set(name, only(p, TOOL_USE_RESULT_FIELDS));
                } else if (t.isScalarValue()) {
                    line.set(name, scalar(p, t));
                } else {
                    p.skipChildren();
                }
            }
            return p.currentToken() == JsonToken.END_OBJECT && !headOnly ? line : null;
        } catch (IOException partialOrBroken) {
            return null;
        }
    }

    private static ObjectNode message(JsonParser p) throws IOException {
        ObjectNode m = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (name.equals("content") && t == JsonToken.START_ARRAY) {
                ArrayNode blocks = m.putArray(name);
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == JsonToken.START_OBJECT) {
                        blocks.add(only(p, BLOCK_FIELDS));
                    } else {
                        p.skipChildren();
                    }
                }
            } else if (t.isScalarValue() && !name.equals("content")) {
                m.set(name, scalar(p, t));
            } else {
                p.skipChildren();
            }
        }
        return m;
    }

    /** The object the parser is at, with just the named scalar fields. */
    private static ObjectNode only(JsonParser p, Set<String> fields) throws IOException {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (t.isScalarValue() && fields.contains(name)) {
                o.set(name, scalar(p, t));
            } else {
                p.skipChildren();
            }
        }
        return o;
    }

    private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        return t == JsonToken.VALUE_STRING ? NODES.textNode(p.getText()) : JSON.readTree(p);
    }

}
