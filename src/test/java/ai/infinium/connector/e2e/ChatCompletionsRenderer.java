package ai.infinium.connector.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link ChatCompletionsReply.Message} the way the OpenAI Chat Completions API answers
 * {@code POST /v1/chat/completions}: as a stream of {@code chat.completion.chunk}s for {@code
 * "stream": true}, or as one {@code chat.completion}. Kept apart from the HTTP server so the wire
 * format is in one place.
 */
final class ChatCompletionsRenderer {

    /** One completion's ids and metadata, shared by all its chunks. */
    record Completion(String id, String model, long created) {
        /** The id of tool call {@code index}: unique because the completion id is. */
        String toolCallId(int index) {
            return "call_" + id.substring("chatcmpl-".length()) + "_" + index;
        }
    }

    private final ObjectMapper json;

    ChatCompletionsRenderer(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The streamed form, as SSE frames ({@code data: <chunk>}, no event names): a first chunk with
     * the role (and, for a text reply, empty content), the text in two content deltas, per tool call
     * a chunk with its id, type and name followed by its arguments in two pieces, a chunk with the
     * finish reason and an empty delta, then, if {@code usage} is not null (the request asked for it
     * with {@code stream_options.include_usage}), a chunk with no choices and the usage; last {@code
     * data: [DONE]}. With include_usage every other chunk carries {@code "usage": null}, as the API
     * sends it.
     */
    List<String> stream(ChatCompletionsReply.Message reply, Completion completion, FakeResponsesApi.Usage usage) {
        boolean includeUsage = usage != null;
        List<ObjectNode> chunks = new ArrayList<>();
        String content = reply.content();
        List<ResponsesReply.FunctionCall> calls = reply.toolCalls();

        ObjectNode first = json.createObjectNode().put("role", "assistant");
        if (content != null) {
            first.put("content", "");
            chunks.add(first);
            for (String piece : SseEvent.halves(content)) {
                chunks.add(json.createObjectNode().put("content", piece));
            }
        } else {
            first.putNull("content"); // the role rides on the first tool call's chunk
        }
        for (int i = 0; i < calls.size(); i++) {
            ObjectNode head = content == null && i == 0 ? first : json.createObjectNode();
            ObjectNode call = toolCall(i, completion.toolCallId(i), calls.get(i).name(), "");
            head.putArray("tool_calls").add(call);
            chunks.add(head);
            for (String piece : SseEvent.halves(arguments(calls.get(i)))) {
                ObjectNode delta = json.createObjectNode();
                ObjectNode part = delta.putArray("tool_calls").addObject().put("index", i);
                part.putObject("function").put("arguments", piece);
                chunks.add(delta);
            }
        }

        List<String> frames = new ArrayList<>();
        for (ObjectNode delta : chunks) {
            frames.add(frame(chunk(completion, delta, null, includeUsage)));
        }
        frames.add(frame(chunk(completion, json.createObjectNode(), reply.finishReason(), includeUsage)));
        if (includeUsage) {
            ObjectNode last = base(completion, "chat.completion.chunk");
            last.putArray("choices");
            last.set("usage", usageJson(usage));
            frames.add(frame(last));
        }
        frames.add("data: [DONE]\n\n");
        return frames;
    }

    /** The whole completion: the body for a request that does not stream. */
    ObjectNode completion(ChatCompletionsReply.Message reply, Completion completion, FakeResponsesApi.Usage usage) {
        ObjectNode body = base(completion, "chat.completion");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", reply.content());
        message.putNull("refusal");
        List<ResponsesReply.FunctionCall> calls = reply.toolCalls();
        if (!calls.isEmpty()) {
            ArrayNode toolCalls = message.putArray("tool_calls");
            for (int i = 0; i < calls.size(); i++) {
                ObjectNode call = toolCall(i, completion.toolCallId(i), calls.get(i).name(), arguments(calls.get(i)));
                call.remove("index"); // only stream deltas are indexed
                toolCalls.add(call);
            }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", reply.finishReason());
        body.set("usage", usageJson(usage));
        return body;
    }

    /** {@code GET /v1/models}: {@code {"object":"list","data":[{"id","object":"model","created","owned_by"}]}}. */
    ObjectNode models(List<String> ids, long created) {
        ObjectNode body = json.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String id : ids) {
            data.add(model(id, created));
        }
        return body;
    }

    ObjectNode model(String id, long created) {
        return json.createObjectNode().put("id", id).put("object", "model").put("created", created)
                .put("owned_by", "fake");
    }

    private ObjectNode chunk(Completion completion, ObjectNode delta, String finishReason, boolean includeUsage) {
        ObjectNode chunk = base(completion, "chat.completion.chunk");
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private ObjectNode base(Completion completion, String object) {
        return json.createObjectNode()
                .put("id", completion.id())
                .put("object", object)
                .put("created", completion.created())
                .put("model", completion.model())
                .put("system_fingerprint", "fp_fake");
    }

    private ObjectNode toolCall(int index, String id, String name, String arguments) {
        ObjectNode call = json.createObjectNode().put("index", index).put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        return call;
    }

    private ObjectNode usageJson(FakeResponsesApi.Usage usage) {
        ObjectNode u = json.createObjectNode();
        u.put("prompt_tokens", usage.inputTokens());
        u.put("completion_tokens", usage.outputTokens());
        u.put("total_tokens", usage.totalTokens());
        u.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedTokens());
        u.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
        return u;
    }

    private String frame(JsonNode chunk) {
        try {
            return "data: " + json.writeValueAsString(chunk) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String arguments(ResponsesReply.FunctionCall call) {
        try {
            return json.writeValueAsString(call.arguments());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
