package ai.infinium.connector.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link ResponsesReply.Response} the way the OpenAI Responses API streams it: as the SSE
 * event sequence of {@code POST /v1/responses} with {@code "stream": true}. Kept apart from the HTTP
 * server so the wire format is in one place.
 *
 * <p>Codex 0.169.0 builds its history from {@code response.output_item.done} and reads the usage
 * from {@code response.completed}; the other events are sent as the real API sends them so that
 * streaming (text and argument deltas) is exercised too.
 */
final class ResponsesApiRenderer {

    /** The ids of one response and its items, all derived from the response id so they are unique with it. */
    record Ids(String responseId) {
        private String suffix() {
            return responseId.substring("resp_".length());
        }

        String messageId(int index) {
            return "msg_" + suffix() + "_" + index;
        }

        String functionCallItemId(int index) {
            return "fc_" + suffix() + "_" + index;
        }

        /** What Codex calls the tool call: {@code call_id}, the hooks' {@code tool_use_id}. */
        String callId(int index) {
            return "call_" + suffix() + "_" + index;
        }
    }

    private final ObjectMapper json;

    ResponsesApiRenderer(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The streamed form: response.created, response.in_progress, per item output_item.added, its
     * deltas (two each, so the client's accumulation is exercised) and output_item.done, then
     * response.completed with every item and the usage.
     */
    List<SseEvent> stream(ResponsesReply.Response reply, String model, Ids ids, long createdAt,
            FakeResponsesApi.Usage usage) {
        List<ObjectNode> events = new ArrayList<>();
        ObjectNode created = event("response.created");
        created.set("response", response(ids, model, createdAt, "in_progress", json.createArrayNode(), null));
        events.add(created);
        ObjectNode inProgress = event("response.in_progress");
        inProgress.set("response", response(ids, model, createdAt, "in_progress", json.createArrayNode(), null));
        events.add(inProgress);

        List<ResponsesReply.Item> items = reply.items();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof ResponsesReply.Text text) {
                events.addAll(message(ids.messageId(i), i, text.text()));
            } else if (items.get(i) instanceof ResponsesReply.FunctionCall call) {
                events.addAll(functionCall(ids.functionCallItemId(i), ids.callId(i), i, call.name(), toJson(call)));
            }
        }

        ObjectNode completed = event("response.completed");
        completed.set("response", completedResponse(reply, model, ids, createdAt, usage));
        events.add(completed);

        List<SseEvent> sse = new ArrayList<>();
        for (int n = 0; n < events.size(); n++) {
            ObjectNode e = events.get(n);
            e.put("sequence_number", n);
            sse.add(new SseEvent(e.path("type").asText(), e));
        }
        return sse;
    }

    /** The finished response object: the body for {@code "stream": false} and the payload of response.completed. */
    ObjectNode completedResponse(ResponsesReply.Response reply, String model, Ids ids, long createdAt,
            FakeResponsesApi.Usage usage) {
        ArrayNode output = json.createArrayNode();
        List<ResponsesReply.Item> items = reply.items();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof ResponsesReply.Text text) {
                output.add(messageItem(ids.messageId(i), text.text(), "completed"));
            } else if (items.get(i) instanceof ResponsesReply.FunctionCall call) {
                output.add(functionCallItem(ids.functionCallItemId(i), ids.callId(i), call.name(), toJson(call),
                        "completed"));
            }
        }
        return response(ids, model, createdAt, "completed", output, usage);
    }

    /** The body of an error response: {@code {"error":{"message":..,"type":..,"param":null,"code":..}}}. */
    ObjectNode error(String errorType, String code, String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", errorType);
        error.putNull("param");
        error.put("code", code);
        return body;
    }

    private List<ObjectNode> message(String itemId, int outputIndex, String text) {
        List<ObjectNode> events = new ArrayList<>();
        ObjectNode added = event("response.output_item.added");
        added.put("output_index", outputIndex);
        added.set("item", messageItem(itemId, null, "in_progress"));
        events.add(added);

        ObjectNode partAdded = contentEvent("response.content_part.added", itemId, outputIndex);
        partAdded.set("part", outputText(""));
        events.add(partAdded);
        for (String piece : SseEvent.halves(text)) {
            ObjectNode delta = contentEvent("response.output_text.delta", itemId, outputIndex);
            delta.put("delta", piece);
            events.add(delta);
        }
        ObjectNode textDone = contentEvent("response.output_text.done", itemId, outputIndex);
        textDone.put("text", text);
        events.add(textDone);
        ObjectNode partDone = contentEvent("response.content_part.done", itemId, outputIndex);
        partDone.set("part", outputText(text));
        events.add(partDone);

        ObjectNode done = event("response.output_item.done");
        done.put("output_index", outputIndex);
        done.set("item", messageItem(itemId, text, "completed"));
        events.add(done);
        return events;
    }

    private List<ObjectNode> functionCall(String itemId, String callId, int outputIndex, String name, String arguments) {
        List<ObjectNode> events = new ArrayList<>();
        ObjectNode added = event("response.output_item.added");
        added.put("output_index", outputIndex);
        added.set("item", functionCallItem(itemId, callId, name, "", "in_progress"));
        events.add(added);
        for (String piece : SseEvent.halves(arguments)) {
            ObjectNode delta = event("response.function_call_arguments.delta");
            delta.put("item_id", itemId);
            delta.put("output_index", outputIndex);
            delta.put("delta", piece);
            events.add(delta);
        }
        ObjectNode argumentsDone = event("response.function_call_arguments.done");
        argumentsDone.put("item_id", itemId);
        argumentsDone.put("output_index", outputIndex);
        argumentsDone.put("arguments", arguments);
        events.add(argumentsDone);
        ObjectNode done = event("response.output_item.done");
        done.put("output_index", outputIndex);
        done.set("item", functionCallItem(itemId, callId, name, arguments, "completed"));
        events.add(done);
        return events;
    }

    /** An assistant message item; {@code text} null gives the empty content of output_item.added. */
    private ObjectNode messageItem(String id, String text, String status) {
        ObjectNode item = json.createObjectNode();
        item.put("id", id);
        item.put("type", "message");
        item.put("status", status);
        item.put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return item;
    }

    private ObjectNode functionCallItem(String id, String callId, String name, String arguments, String status) {
        ObjectNode item = json.createObjectNode();
        item.put("id", id);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("arguments", arguments);
        item.put("call_id", callId);
        item.put("name", name);
        return item;
    }

    private ObjectNode outputText(String text) {
        ObjectNode part = json.createObjectNode();
        part.put("type", "output_text");
        part.put("text", text);
        part.putArray("annotations");
        return part;
    }

    private ObjectNode response(Ids ids, String model, long createdAt, String status, ArrayNode output,
            FakeResponsesApi.Usage usage) {
        ObjectNode response = json.createObjectNode();
        response.put("id", ids.responseId());
        response.put("object", "response");
        response.put("created_at", createdAt);
        response.put("status", status);
        response.put("model", model);
        response.set("output", output);
        if (usage == null) {
            response.putNull("usage");
        } else {
            response.set("usage", usageJson(usage));
        }
        return response;
    }

    private ObjectNode usageJson(FakeResponsesApi.Usage usage) {
        ObjectNode u = json.createObjectNode();
        u.put("input_tokens", usage.inputTokens());
        u.putObject("input_tokens_details").put("cached_tokens", usage.cachedTokens());
        u.put("output_tokens", usage.outputTokens());
        u.putObject("output_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        u.put("total_tokens", usage.totalTokens());
        return u;
    }

    private ObjectNode contentEvent(String type, String itemId, int outputIndex) {
        ObjectNode node = event(type);
        node.put("item_id", itemId);
        node.put("output_index", outputIndex);
        node.put("content_index", 0);
        return node;
    }

    private ObjectNode event(String type) {
        return json.createObjectNode().put("type", type);
    }

    private String toJson(ResponsesReply.FunctionCall call) {
        try {
            return json.writeValueAsString(call.arguments());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
