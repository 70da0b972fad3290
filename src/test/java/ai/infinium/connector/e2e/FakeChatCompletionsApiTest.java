package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.ChatCompletionsReply.failure;
import static ai.infinium.connector.e2e.ChatCompletionsReply.reply;
import static ai.infinium.connector.e2e.ChatCompletionsReply.text;
import static ai.infinium.connector.e2e.ChatCompletionsReply.toolCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ai.infinium.connector.e2e.FakeChatCompletionsApi.ApiCall;
import ai.infinium.connector.e2e.FakeChatCompletionsApi.Kind;
import ai.infinium.connector.e2e.FakeResponsesApi.Usage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake's wire format, script selection and record, checked with the JDK's HTTP client, without an agent. */
class FakeChatCompletionsApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @AutoClose
    private FakeChatCompletionsApi fake;
    private FakeApiClient client;

    @BeforeEach
    void start() throws Exception {
        fake = FakeChatCompletionsApi.start();
        client = new FakeApiClient(fake.origin());
    }

    @Test
    void listensOnLoopbackUnderV1() {
        assertThat(fake.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v1");
    }

    @Test
    void streamsAScriptedToolCallThenTextAsChatCompletionsDoes() throws Exception {
        fake.script("E2E-TURN1", reply(toolCall("bash", Map.of("command", "echo hi"))), reply(text("done")));

        HttpResponse<String> first = client.post("/v1/chat/completions", request(true, user("E2E-TURN1 go")));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<JsonNode> chunks = chunks(first.body());
        ApiCall call = fake.modelCall("E2E-TURN1", 0);
        assertThat(first.headers().firstValue("x-request-id")).hasValue(call.requestId());
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.path("id").asText()).startsWith("chatcmpl-").isEqualTo(call.completionId());
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("model").asText()).isEqualTo("fake-model");
            assertThat(c.path("created").isIntegralNumber()).isTrue();
        });
        assertThat(deltas(chunks).get(0).path("role").asText()).isEqualTo("assistant");
        assertThat(finishReasons(chunks)).containsExactly("tool_calls");

        List<Map<String, String>> calls = toolCalls(chunks);
        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.get("id")).startsWith("call_").isEqualTo(call.toolCallIds().get(0));
            assertThat(c.get("type")).isEqualTo("function");
            assertThat(c.get("name")).isEqualTo("bash");
        });
        // The arguments arrive in more than one chunk and reassemble to the scripted JSON.
        long argumentChunks = deltas(chunks).stream()
                .filter(d -> !d.path("tool_calls").path(0).path("function").path("arguments").asText().isEmpty()).count();
        assertThat(argumentChunks).isGreaterThan(1);
        assertThat(JSON.readTree(calls.get(0).get("arguments"))).isEqualTo(JSON.readTree("{\"command\":\"echo hi\"}"));
        assertUsageChunk(chunks, call.usage());

        // The agent runs the tool and asks again: one assistant message since the prompt, step 1.
        ObjectNode next = request(true, user("E2E-TURN1 go"), assistantCalling(call.toolCallIds().get(0)),
                tool(call.toolCallIds().get(0), "hi"));
        List<JsonNode> second = chunks(client.post("/v1/chat/completions", next).body());

        assertThat(deltas(second).get(0).path("content").asText()).isEmpty();
        assertThat(content(second)).isEqualTo("done");
        assertThat(finishReasons(second)).containsExactly("stop");
        assertThat(toolCalls(second)).isEmpty();
        ApiCall answered = fake.modelCall("E2E-TURN1", 1);
        assertThat(answered.toolCallIds()).isEmpty();
        assertUsageChunk(second, answered.usage());

        assertThat(fake.modelCalls("E2E-TURN1")).extracting(ApiCall::replyIndex, ApiCall::status).containsExactly(
                tuple(0, 200), tuple(1, 200));
    }

    @Test
    void splitsEveryToolCallOfAReplyByIndex() throws Exception {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("path", "a/ü.txt");
        args.put("content", "line 1\nline 2 \"quoted\"");
        fake.script("M1", reply(text("Two at once."), toolCall("write", args), toolCall("read", Map.of("path", "b"))));

        List<JsonNode> chunks = chunks(client.post("/v1/chat/completions", request(true, user("M1 go"))).body());

        assertThat(content(chunks)).isEqualTo("Two at once.");
        List<Map<String, String>> calls = toolCalls(chunks);
        assertThat(calls).extracting(c -> c.get("name")).containsExactly("write", "read");
        assertThat(calls).extracting(c -> c.get("id")).containsExactlyElementsOf(fake.modelCalls().get(0).toolCallIds());
        assertThat(JSON.readTree(calls.get(0).get("arguments"))).isEqualTo(JSON.valueToTree(args));
        assertThat(calls.get(0).get("arguments")).startsWith("{\"path\""); // the script's key order
        assertThat(JSON.readTree(calls.get(1).get("arguments"))).isEqualTo(JSON.readTree("{\"path\":\"b\"}"));
    }

    @Test
    void answersANonStreamingRequestWithTheWholeCompletion() throws Exception {
        fake.script("M1", reply(text("Running it."), toolCall("bash", Map.of("command", "ls"))));

        JsonNode response = JSON.readTree(client.post("/v1/chat/completions", request(false, user("M1 go"))).body());

        ApiCall call = fake.modelCalls().get(0);
        assertThat(response.path("object").asText()).isEqualTo("chat.completion");
        assertThat(response.path("id").asText()).isEqualTo(call.completionId());
        JsonNode choice = response.path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("Running it.");
        JsonNode toolCall = choice.path("message").path("tool_calls").get(0);
        assertThat(toolCall.path("id").asText()).isEqualTo(call.toolCallIds().get(0));
        assertThat(toolCall.path("function").path("name").asText()).isEqualTo("bash");
        assertThat(JSON.readTree(toolCall.path("function").path("arguments").asText()))
                .isEqualTo(JSON.readTree("{\"command\":\"ls\"}"));
        assertUsage(response.path("usage"), call.usage());
    }

    @Test
    void servesUsageOnlyWhereTheAnswerCarriesIt() throws Exception {
        ObjectNode noUsage = request(true, user("M1 go"));
        noUsage.remove("stream_options");

        List<JsonNode> chunks = chunks(client.post("/v1/chat/completions", noUsage).body());

        assertThat(chunks).noneMatch(c -> c.has("usage"));
        assertThat(chunks).allMatch(c -> c.path("choices").size() == 1);
        assertThat(fake.calls()).singleElement().satisfies(c -> {
            assertThat(c.includeUsage()).isFalse();
            assertThat(c.usage()).isNull();
        });
    }

    @Test
    void givesEveryCallItsOwnIdsAndUsage() throws Exception {
        fake.script("M1", reply(toolCall("bash", Map.of("command", "true"))), reply(toolCall("bash", Map.of())));

        client.post("/v1/chat/completions", request(true, user("M1 go")));
        client.post("/v1/chat/completions", request(true, user("M1 go"), assistantCalling("call_x"), tool("call_x", "")));

        List<ApiCall> calls = fake.modelCalls("M1");
        assertThat(calls).extracting(ApiCall::completionId).doesNotHaveDuplicates();
        assertThat(calls.get(0).toolCallIds()).doesNotContainAnyElementsOf(calls.get(1).toolCallIds());
        assertThat(calls.get(0).usage()).isEqualTo(Usage.forSequence(calls.get(0).seq()));
        assertThat(calls.get(0).usage()).isNotEqualTo(calls.get(1).usage());
        assertThat(calls.get(0).usage().totalTokens())
                .isEqualTo(calls.get(0).usage().inputTokens() + calls.get(0).usage().outputTokens());
    }

    @Test
    void picksTheStepByAssistantMessagesAfterTheNewestMarkedUserMessage() throws Exception {
        fake.script("TURN1", reply(text("a")), reply(text("b")), reply(text("c")));
        fake.script("TURN2", reply(text("second turn")));

        // Two assistant messages since the prompt: step 2. A tool result echoing a marker is no prompt.
        client.post("/v1/chat/completions", request(true, system("TURN2 in the system prompt"), user("TURN1 go"),
                assistantCalling("call_1"), tool("call_1", "TURN2 in output"), assistantCalling("call_2"),
                tool("call_2", "")));
        // A continued session: TURN1's history, then the TURN2 prompt (as content parts).
        client.post("/v1/chat/completions", request(true, user("TURN1 go"), assistant("a"), userParts("TURN2 next")));
        // Whole words only.
        client.post("/v1/chat/completions", request(true, user("TURN10 go")));
        // Past the end of the script: the fallback, no step.
        client.post("/v1/chat/completions", request(true, user("TURN2 next"), assistant("second turn")));

        assertThat(fake.modelCalls()).extracting(ApiCall::marker, ApiCall::replyIndex).containsExactly(
                tuple("TURN1", 2),
                tuple("TURN2", 0),
                tuple(null, -1),
                tuple("TURN2", -1));
    }

    @Test
    void injectsAnErrorForAScriptStepAndARetryGetsItAgain() throws Exception {
        fake.script("BROKEN", failure(400), reply(text("never")));

        HttpResponse<String> response = client.post("/v1/chat/completions", request(true, user("BROKEN go")));
        HttpResponse<String> retry = client.post("/v1/chat/completions", request(true, user("BROKEN go")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asText()).isEqualTo("fake API: injected HTTP 400");
        assertThat(retry.statusCode()).isEqualTo(400);
        assertThat(fake.modelCalls("BROKEN")).extracting(ApiCall::replyIndex, ApiCall::status, ApiCall::usage)
                .containsExactly(tuple(0, 400, null), tuple(0, 400, null));
        assertThat(fake.modelCalls("BROKEN")).extracting(ApiCall::completionId).containsOnlyNulls();
    }

    @Test
    void answersSideRequestsOutsideTheScriptWithUsage() throws Exception {
        fake.script("M1", reply(toolCall("bash", Map.of("command", "true"))));
        ObjectNode title = request(true, user("Write a title for: M1 go"));
        title.remove("tools");

        List<JsonNode> chunks = chunks(client.post("/v1/chat/completions", title).body());
        fake.sideReply(reply(text("{\"next_speaker\":\"user\"}")));
        JsonNode custom = JSON.readTree(client.post("/v1/chat/completions", request(false, user("M1 go"))
                .put("tools", (String) null)).body());

        assertThat(content(chunks)).isEqualTo("ok");
        assertThat(custom.path("choices").get(0).path("message").path("content").asText())
                .isEqualTo("{\"next_speaker\":\"user\"}");
        assertThat(fake.calls()).extracting(ApiCall::kind, ApiCall::marker, ApiCall::replyIndex).containsExactly(
                tuple(Kind.SIDE, null, -1), tuple(Kind.SIDE, null, -1));
        assertThat(fake.calls()).allSatisfy(c -> assertThat(c.usage()).isEqualTo(Usage.forSequence(c.seq())));
        assertThat(fake.modelCalls()).isEmpty();
        assertUsageChunk(chunks, fake.calls().get(0).usage());

        fake.sideCallsAre(body -> body.path("messages").toString().contains("title"));
        client.post("/v1/chat/completions", request(true, user("Write a title for: M1 go")));
        client.post("/v1/chat/completions", request(true, user("M1 go")));
        assertThat(fake.calls().subList(2, 4)).extracting(ApiCall::kind, ApiCall::replyIndex).containsExactly(
                tuple(Kind.SIDE, -1), tuple(Kind.MODEL, 0));
    }

    @Test
    void listsModelsAndRejectsOtherPathsAndBadBodies() throws Exception {
        fake.models("gpt-fake", "qwen-fake");

        JsonNode models = JSON.readTree(client.get("/v1/models").body());
        HttpResponse<String> one = client.get("/v1/models/qwen-fake");
        HttpResponse<String> unknown = client.get("/v1/models/nope");
        HttpResponse<String> responses = client.post("/v1/responses", request(true, user("x")));
        HttpResponse<String> noMessages = client.post("/v1/chat/completions", JSON.createObjectNode().put("model", "m"));

        assertThat(models.path("object").asText()).isEqualTo("list");
        assertThat(models.path("data").findValuesAsText("id")).containsExactly("gpt-fake", "qwen-fake");
        assertThat(JSON.readTree(one.body()).path("object").asText()).isEqualTo("model");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(responses.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(responses.body()).path("error").path("message").asText()).contains("/v1/responses");
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(fake.calls()).extracting(ApiCall::method, ApiCall::path, ApiCall::kind, ApiCall::status)
                .containsExactly(
                        tuple("GET", "/v1/models", Kind.MODELS, 200),
                        tuple("GET", "/v1/models/qwen-fake", Kind.MODELS, 200),
                        tuple("GET", "/v1/models/nope", Kind.OTHER, 404),
                        tuple("POST", "/v1/responses", Kind.OTHER, 404),
                        tuple("POST", "/v1/chat/completions", Kind.OTHER, 400));
        assertThat(fake.modelCalls()).isEmpty();
    }

    @Test
    void recordsWhatTheAgentSends() throws Exception {
        ObjectNode body = request(true, user("M1 go"));

        client.post("/v1/chat/completions", body, "authorization", "Bearer fake-key");

        ApiCall call = fake.calls().get(0);
        assertThat(call.header("Authorization")).isEqualTo("Bearer fake-key");
        assertThat(call.streamed()).isTrue();
        assertThat(call.includeUsage()).isTrue();
        assertThat(call.model()).isEqualTo("fake-model");
        assertThat(call.toolNames()).containsExactly("bash");
        assertThat(call.messages()).isEqualTo(body.path("messages"));
    }

    // --- reading a stream, as a client accumulates it ---

    /** The chunks of a Chat Completions stream: {@code data:} lines only, closed by {@code data: [DONE]}. */
    private static List<JsonNode> chunks(String body) throws Exception {
        String[] frames = body.split("\n\n", -1);
        assertThat(frames[frames.length - 1]).isEmpty(); // the body ends with a blank line
        assertThat(frames[frames.length - 2]).isEqualTo("data: [DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (int i = 0; i < frames.length - 2; i++) {
            assertThat(frames[i]).startsWith("data: ").doesNotContain("\n").doesNotContain("event:");
            chunks.add(JSON.readTree(frames[i].substring("data: ".length())));
        }
        return chunks;
    }

    private static List<JsonNode> deltas(List<JsonNode> chunks) {
        return chunks.stream().filter(c -> !c.path("choices").isEmpty()).map(c -> c.path("choices").get(0).path("delta"))
                .toList();
    }

    private static String content(List<JsonNode> chunks) {
        StringBuilder text = new StringBuilder();
        deltas(chunks).forEach(d -> text.append(d.path("content").asText("")));
        return text.toString();
    }

    private static List<String> finishReasons(List<JsonNode> chunks) {
        return chunks.stream().flatMap(c -> c.path("choices").findValues("finish_reason").stream())
                .filter(r -> !r.isNull()).map(JsonNode::asText).toList();
    }

    /** The tool calls put together by index: id, type and name from their first delta, arguments concatenated. */
    private static List<Map<String, String>> toolCalls(List<JsonNode> chunks) {
        List<Map<String, String>> calls = new ArrayList<>();
        for (JsonNode delta : deltas(chunks)) {
            for (JsonNode part : delta.path("tool_calls")) {
                int index = part.path("index").asInt();
                if (index == calls.size()) {
                    calls.add(new LinkedHashMap<>(Map.of("arguments", "")));
                }
                Map<String, String> call = calls.get(index);
                if (part.has("id")) {
                    call.put("id", part.path("id").asText());
                    call.put("type", part.path("type").asText());
                    call.put("name", part.path("function").path("name").asText());
                }
                call.merge("arguments", part.path("function").path("arguments").asText(""), String::concat);
            }
        }
        return calls;
    }

    /** The last chunk before [DONE] has no choices and the usage; the others have {@code "usage": null}. */
    private static void assertUsageChunk(List<JsonNode> chunks, Usage served) {
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.path("choices").isArray()).isTrue();
        assertThat(last.path("choices")).isEmpty();
        assertUsage(last.path("usage"), served);
        assertThat(chunks.subList(0, chunks.size() - 1)).allMatch(c -> c.path("usage").isNull() && c.has("usage"));
    }

    private static void assertUsage(JsonNode usage, Usage served) {
        assertThat(served).isNotNull();
        assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(served.inputTokens());
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(served.outputTokens());
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(served.totalTokens());
        assertThat(usage.path("prompt_tokens_details").path("cached_tokens").asInt()).isEqualTo(served.cachedTokens());
        assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").asInt())
                .isEqualTo(served.reasoningTokens());
    }

    // --- requests ---

    private static ObjectNode request(boolean stream, JsonNode... messages) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "fake-model");
        body.putArray("messages").addAll(List.of(messages));
        ObjectNode tool = body.putArray("tools").addObject().put("type", "function");
        tool.putObject("function").put("name", "bash").putObject("parameters").put("type", "object");
        body.put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private static ObjectNode message(String role, String content) {
        return JSON.createObjectNode().put("role", role).put("content", content);
    }

    private static ObjectNode system(String text) {
        return message("system", text);
    }

    private static ObjectNode user(String prompt) {
        return message("user", prompt);
    }

    private static ObjectNode userParts(String prompt) {
        ObjectNode message = JSON.createObjectNode().put("role", "user");
        message.putArray("content").addObject().put("type", "text").put("text", prompt);
        return message;
    }

    private static ObjectNode assistant(String text) {
        return message("assistant", text);
    }

    private static ObjectNode assistantCalling(String callId) {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant").putNull("content");
        ObjectNode call = message.putArray("tool_calls").addObject().put("id", callId).put("type", "function");
        call.putObject("function").put("name", "bash").put("arguments", "{\"command\":\"echo hi\"}");
        return message;
    }

    private static ObjectNode tool(String callId, String output) {
        return JSON.createObjectNode().put("role", "tool").put("tool_call_id", callId).put("content", output);
    }
}
