package ai.infinium.connector.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link FakeReply.Message} the way the Anthropic Messages API answers: as the SSE event
 * sequence of a streamed response, or as one JSON message for {@code "stream": false}. Kept apart
 * from the HTTP server so the wire format is in one place.
 */
final class MessagesApiRenderer {

    private final ObjectMapper json;

    MessagesApiRenderer(ObjectMapper json) {
        this.json = json;
    }

    /** The tool-use id of block {@code index} of message {@code messageId}: unique because the message id is. */
    static String toolUseId(String messageId, int index) {
        return "toolu_" + messageId.substring("msg_".length()) + String.format("%02d", index);
    }

    /**
     * The streamed form: message_start (usage with output_tokens 1, as the API reports before
     * generating), ping, per block content_block_start / _delta... / _stop, message_delta with the
     * stop reason and final usage, message_stop. Text and tool input arrive in two deltas each so the
     * client's accumulation is exercised, not just its single-chunk path.
     */
    List<SseEvent> stream(FakeReply.Message reply, String model, String messageId, FakeAnthropicApi.Usage usage) {
        List<SseEvent> events = new ArrayList<>();
        ObjectNode start = event("message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", messageId);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        message.set("usage", usageJson(usage, 1));
        events.add(new SseEvent("message_start", start));
        events.add(new SseEvent("ping", event("ping")));

        List<FakeReply.Block> blocks = reply.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            FakeReply.Block block = blocks.get(i);
            ObjectNode blockStart = event("content_block_start");
            blockStart.put("index", i);
            ObjectNode shell = blockStart.putObject("content_block");
            List<ObjectNode> deltas = new ArrayList<>();
            if (block instanceof FakeReply.Text text) {
                shell.put("type", "text");
                shell.put("text", "");
                for (String piece : SseEvent.halves(text.text())) {
                    ObjectNode delta = json.createObjectNode();
                    delta.put("type", "text_delta");
                    delta.put("text", piece);
                    deltas.add(delta);
                }
            } else if (block instanceof FakeReply.ToolUse tool) {
                shell.put("type", "tool_use");
                shell.put("id", toolUseId(messageId, i));
                shell.put("name", tool.name());
                shell.putObject("input");
                for (String piece : SseEvent.halves(toJson(tool))) {
                    ObjectNode delta = json.createObjectNode();
                    delta.put("type", "input_json_delta");
                    delta.put("partial_json", piece);
                    deltas.add(delta);
                }
            }
            events.add(new SseEvent("content_block_start", blockStart));
            for (ObjectNode delta : deltas) {
                ObjectNode e = event("content_block_delta");
                e.put("index", i);
                e.set("delta", delta);
                events.add(new SseEvent("content_block_delta", e));
            }
            ObjectNode blockStop = event("content_block_stop");
            blockStop.put("index", i);
            events.add(new SseEvent("content_block_stop", blockStop));
        }

        ObjectNode messageDelta = event("message_delta");
        ObjectNode delta = messageDelta.putObject("delta");
        delta.put("stop_reason", stopReason(reply));
        delta.putNull("stop_sequence");
        messageDelta.set("usage", usageJson(usage, usage.outputTokens()));
        events.add(new SseEvent("message_delta", messageDelta));
        events.add(new SseEvent("message_stop", event("message_stop")));
        return events;
    }

    /** The non-streamed form: the complete message object. */
    ObjectNode message(FakeReply.Message reply, String model, String messageId, FakeAnthropicApi.Usage usage) {
        ObjectNode message = json.createObjectNode();
        message.put("id", messageId);
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model);
        ArrayNode content = message.putArray("content");
        List<FakeReply.Block> blocks = reply.blocks();
        for (int i = 0; i < blocks.size(); i++) {
            ObjectNode b = content.addObject();
            if (blocks.get(i) instanceof FakeReply.Text text) {
                b.put("type", "text");
                b.put("text", text.text());
            } else if (blocks.get(i) instanceof FakeReply.ToolUse tool) {
                b.put("type", "tool_use");
                b.put("id", toolUseId(messageId, i));
                b.put("name", tool.name());
                b.set("input", json.valueToTree(tool.input()));
            }
        }
        message.put("stop_reason", stopReason(reply));
        message.putNull("stop_sequence");
        message.set("usage", usageJson(usage, usage.outputTokens()));
        return message;
    }

    /** The body of an error response: {@code {"type":"error","error":{"type":..,"message":..}}}. */
    ObjectNode error(String errorType, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("type", "error");
        ObjectNode error = body.putObject("error");
        error.put("type", errorType);
        error.put("message", message);
        return body;
    }

    private ObjectNode usageJson(FakeAnthropicApi.Usage usage, int outputTokensSoFar) {
        ObjectNode u = json.createObjectNode();
        u.put("input_tokens", usage.inputTokens());
        u.put("cache_creation_input_tokens", usage.cacheCreationInputTokens());
        u.put("cache_read_input_tokens", usage.cacheReadInputTokens());
        u.put("output_tokens", outputTokensSoFar);
        u.put("service_tier", "standard");
        return u;
    }

    private static String stopReason(FakeReply.Message reply) {
        return reply.callsTools() ? "tool_use" : "end_turn";
    }

    private ObjectNode event(String type) {
        return json.createObjectNode().put("type", type);
    }

    private String toJson(FakeReply.ToolUse tool) {
        try {
            return json.writeValueAsString(tool.input());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
