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
    /** What a read wants beyond the usage of a response. */
    enum Want {
        /** A user line's {@code promptId}, which is all such a line tells. */
        PROMPT_ID,
        /** The text of the assistant's text blocks too. */
        ANSWER_TEXT,
        /**
         * What a user line is, for a transcript without {@code promptId}: its text, whether it is
         * a tool result, meta or a compaction summary.
         */
        PROMPT_TEXT,
        /** The same, and the agent a tool result line's {@code toolUseResult} says it started. */
        PROMPT_TEXT_AND_AGENT
    }

    String type = "";
    String promptId;
    String requestId = "";
    String messageId = "";
    String model = "";
    String timestamp;
    boolean hasUsage;
    long input;
    long cacheCreation;
    long cacheRead;
    long output;
    /** {@code isMeta} (a caveat, a slash command's expansion) or {@code isCompactSummary}: no prompt. */
    boolean notAPrompt;
    /** Whether the content holds a tool result. */
    boolean toolResult;
    /** The Agent (Task) call's result: the subagent it started. */
    String startedAgent;
    /** The text blocks of an assistant message, or a user line's text, collected only when asked for. */
    final List<String> texts = new ArrayList<>();

    private final Want want;

    private TranscriptLine(Want want) {
        this.want = want;
    }

    /** Null when the line is not a JSON object (a line cut short, still being written). */
    static TranscriptLine parse(JsonFactory json, byte[] buf, int off, int len, boolean wantText) {
        return parse(json, buf, off, len, wantText ? Want.ANSWER_TEXT : Want.PROMPT_ID);
    }

    static TranscriptLine parse(JsonFactory json, byte[] buf, int off, int len, Want want) {
        try (JsonParser p = json.createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            TranscriptLine l = new TranscriptLine(want);
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
                    case "timestamp":
                        l.timestamp = t == JsonToken.VALUE_STRING ? p.getText() : null;
                        p.skipChildren();
                        break;
                    case "isMeta":
                    case "isCompactSummary":
                        l.notAPrompt |= t == JsonToken.VALUE_TRUE;
                        p.skipChildren();
                        break;
                    case "toolUseResult":
                        l.toolUseResult(p, t);
                        break;
                    case "message":
                        if (t != JsonToken.START_OBJECT) {
                            p.skipChildren();
                        } else if (l.message(p)) {
                            return l; // a tool result whose rest tells nothing asked for
                        }
                        break;
                    default:
                        p.skipChildren();
                        break;
                }
                if (l.promptId != null && "user".equals(l.type) && !l.wantsPrompt()) {
                    return l; // all a user line tells is its prompt: spare tokenizing the tool result after it
                }
            }
            return p.currentToken() == JsonToken.END_OBJECT ? l : null;
        } catch (IOException partialOrBroken) {
            return null;
        }
    }

    private boolean wantsPrompt() {
        return want == Want.PROMPT_TEXT || want == Want.PROMPT_TEXT_AND_AGENT;
    }

    /** Reads the message; true when the line turned out to be a tool result nothing more is wanted of. */
    private boolean message(JsonParser p) throws IOException {
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
                    if (t == JsonToken.VALUE_STRING && wantsPrompt()) {
                        texts.add(p.getText()); // a prompt typed as plain text
                    } else if (t == JsonToken.START_ARRAY && (want == Want.ANSWER_TEXT || wantsPrompt())) {
                        if (content(p)) {
                            return true;
                        }
                    } else {
                        p.skipChildren();
                    }
                    break;
                default:
                    p.skipChildren();
                    break;
            }
        }
        return false;
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

    /** True when a tool result showed up in a user line and only the agent it started could still matter. */
    private boolean content(JsonParser p) throws IOException {
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
                } else if (name.equals("type") && t == JsonToken.VALUE_STRING && p.getText().equals("tool_result")) {
                    toolResult = true;
                    if (want == Want.PROMPT_TEXT && "user".equals(type)) {
                        return true; // the result's output, most of the line, is left untokenized
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return false;
    }

    private void toolUseResult(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT || want != Want.PROMPT_TEXT_AND_AGENT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("agentId") && v == JsonToken.VALUE_STRING) {
                startedAgent = p.getText();
            } else {
                p.skipChildren();
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
