package ai.infinium.connector.agent.claude;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The few fields of a Claude Code transcript line that usage needs, read with the streaming
 * parser straight from the line's bytes: tool results and file contents (most of a transcript's
 * bytes) are skipped over, never built into trees or strings.
 */
final class TranscriptLine {
    String type = "";
    String promptId;
    String requestId = "";
    String messageId = "";
    String model = "";
    boolean hasUsage;
    long input;
    long cacheCreation;
    long cacheRead;
    long output;
    /** The text blocks of an assistant message, collected only when asked for. */
    final List<String> texts = new ArrayList<>();

    private TranscriptLine() {}

    /** Null when the line is not a JSON object (a line cut short, still being written). */
    static TranscriptLine parse(JsonFactory json, byte[] buf, int off, int len, boolean wantText) {
        try (JsonParser p = json.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            TranscriptLine l = new TranscriptLine();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "type":
                        l.type = text(p, t);
                        break;
                    case "promptId":
                        l.promptId = t == JsonToken.VALUE_NULL ? null : text(p, t);
                        break;
                    case "requestId":
                        l.requestId = t == JsonToken.VALUE_NULL ? "" : text(p, t);
                        break;
                    case "message":
                        if (t == JsonToken.START_OBJECT) {
                            l.message(p, wantText);
                        } else {
                            p.skipChildren();
                        }
                        break;
                    default:
                        p.skipChildren();
                        break;
                }
                if (l.promptId != null && "user".equals(l.type)) {
                    return l; // all a user line tells is its prompt: spare tokenizing the tool result after it
                }
            }
            return p.currentToken() == JsonToken.END_OBJECT ? l : null;
        } catch (IOException partialOrBroken) {
            return null;
        }
    }

    private void message(JsonParser p, boolean wantText) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "id":
                    messageId = t == JsonToken.VALUE_NULL ? "" : text(p, t);
                    break;
                case "model":
                    model = t == JsonToken.VALUE_NULL ? "" : text(p, t);
                    break;
                case "usage":
                    hasUsage = true;
                    if (t == JsonToken.START_OBJECT) {
                        usage(p);
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "content":
                    if (wantText && t == JsonToken.START_ARRAY) {
                        content(p);
                    } else {
                        p.skipChildren();
                    }
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
    }

    private void usage(JsonParser p) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            long v = t.isScalarValue() ? p.getValueAsLong(0) : 0;
            p.skipChildren();
            switch (name) {
                case "input_tokens": input = v; break;
                case "cache_creation_input_tokens": cacheCreation = v; break;
                case "cache_read_input_tokens": cacheRead = v; break;
                case "output_tokens": output = v; break;
                default: break;
            }
        }
    }

    private void content(JsonParser p) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("text") && t.isScalarValue() && t != JsonToken.VALUE_NULL) {
                    texts.add(p.getText());
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /** A value as {@code JsonNode.asText()} gives it: scalars as text, containers as "". */
    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t.isScalarValue()) {
            return p.getText();
        }
        p.skipChildren();
        return "";
    }
}
