package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.FakeApiClient.sseData;
import static ai.infinium.connector.e2e.ResponsesReply.failure;
import static ai.infinium.connector.e2e.ResponsesReply.functionCall;
import static ai.infinium.connector.e2e.ResponsesReply.reply;
import static ai.infinium.connector.e2e.ResponsesReply.shell;
import static ai.infinium.connector.e2e.ResponsesReply.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ai.infinium.connector.e2e.FakeResponsesApi.ApiCall;
import ai.infinium.connector.e2e.FakeResponsesApi.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake's wire format and script selection, checked without the CLI. */
class FakeResponsesApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @AutoClose
    private FakeResponsesApi fake;
    private FakeApiClient client;

    @BeforeEach
    void start() throws Exception {
        fake = FakeResponsesApi.start();
        client = new FakeApiClient(fake.origin());
    }

    @Test
    void listensOnLoopbackUnderV1() {
        assertThat(fake.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+/v1");
    }

    @Test
    void streamsAScriptedReplyAsTheResponsesApiDoes() throws Exception {
        fake.script("M1", reply(text("Running it."), shell("echo hi")));

        HttpResponse<String> response = client.post("/v1/responses", request(true, user("M1 go")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<JsonNode> events = sseData(response.body());
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly(
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta", "response.output_text.done",
                "response.content_part.done", "response.output_item.done",
                "response.output_item.added",
                "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed");
        assertThat(events).extracting(e -> e.path("sequence_number").asInt())
                .containsExactlyElementsOf(IntStream.range(0, events.size()).boxed().toList());

        ApiCall call = fake.modelCalls("M1").get(0);
        assertThat(call.header("x-request-id")).isNull(); // a response header, not a request one
        assertThat(response.headers().firstValue("x-request-id")).hasValue(call.requestId());
        assertThat(events.get(0).path("response").path("id").asText()).startsWith("resp_").isEqualTo(call.responseId());
        assertThat(events.get(4).path("delta").asText() + events.get(5).path("delta").asText()).isEqualTo("Running it.");

        JsonNode message = events.get(8).path("item");
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("content").get(0).path("text").asText()).isEqualTo("Running it.");

        JsonNode functionCall = events.get(13).path("item");
        assertThat(functionCall.path("type").asText()).isEqualTo("function_call");
        assertThat(functionCall.path("name").asText()).isEqualTo("exec_command");
        assertThat(functionCall.path("call_id").asText()).isEqualTo(call.callIds().get(0));
        assertThat(JSON.readTree(functionCall.path("arguments").asText())).isEqualTo(JSON.readTree("{\"cmd\":\"echo hi\"}"));
        assertThat(events.get(10).path("delta").asText() + events.get(11).path("delta").asText())
                .isEqualTo(functionCall.path("arguments").asText());

        JsonNode completed = events.get(14).path("response");
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed.path("output")).containsExactly(message, functionCall);
        JsonNode usage = completed.path("usage");
        assertThat(usage.path("input_tokens").asInt()).isEqualTo(call.usage().inputTokens());
        assertThat(usage.path("input_tokens_details").path("cached_tokens").asInt()).isEqualTo(call.usage().cachedTokens());
        assertThat(usage.path("output_tokens").asInt()).isEqualTo(call.usage().outputTokens());
        assertThat(usage.path("output_tokens_details").path("reasoning_tokens").asInt())
                .isEqualTo(call.usage().reasoningTokens());
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(call.usage().totalTokens());
    }

    @Test
    void answersANonStreamingRequestWithTheResponseObject() throws Exception {
        fake.script("M1", reply(text("plain")));

        JsonNode response = JSON.readTree(client.post("/v1/responses", request(false, user("M1 go"))).body());

        assertThat(response.path("object").asText()).isEqualTo("response");
        assertThat(response.path("id").asText()).isEqualTo(fake.modelCalls().get(0).responseId());
        assertThat(response.path("output").get(0).path("content").get(0).path("text").asText()).isEqualTo("plain");
    }

    @Test
    void givesEveryResponseItsOwnIdsAndUsage() throws Exception {
        fake.script("M1", reply(shell("true"), functionCall("view_image", Map.of("path", "a.png"))), reply(shell("true")));

        client.post("/v1/responses", request(true, user("M1 go")));
        client.post("/v1/responses", request(true, user("M1 go"), call("call_a"), call("call_b"), output("call_a"),
                output("call_b")));

        List<ApiCall> calls = fake.modelCalls();
        assertThat(calls).extracting(ApiCall::responseId).doesNotHaveDuplicates();
        assertThat(calls.get(0).callIds()).hasSize(2).doesNotHaveDuplicates();
        assertThat(calls.get(1).callIds()).hasSize(1).doesNotContainAnyElementsOf(calls.get(0).callIds());
        assertThat(calls.get(0).usage()).isEqualTo(FakeResponsesApi.Usage.forSequence(calls.get(0).seq()));
        assertThat(calls.get(0).usage()).isNotEqualTo(calls.get(1).usage());
    }

    @Test
    void picksTheStepByResponsesAfterTheNewestMarkedUserMessage() throws Exception {
        fake.script("TURN1", reply(text("a")), reply(text("b")), reply(text("c")));
        fake.script("TURN2", reply(text("second turn")));

        // One response (a message and two calls) since the prompt: step 1. A tool output that
        // echoes another marker is not a prompt.
        client.post("/v1/responses", request(true, developer("TURN2 in instructions"), user("TURN1 go"), assistant(),
                call("call_1"), call("call_2"), output("call_1"), output("call_2", "TURN2 in output")));
        // Two responses, each a call and its output: step 2.
        client.post("/v1/responses", request(true, user("TURN1 go"), call("call_1"), output("call_1"), call("call_2"),
                output("call_2")));
        // A resumed session: TURN1's history, then the TURN2 prompt.
        client.post("/v1/responses", request(true, user("TURN1 go"), assistant(), user("TURN2 next")));
        // Whole words only: TURN10 is not TURN1.
        client.post("/v1/responses", request(true, user("TURN10 go")));
        // Past the end of the script: the fallback, no step.
        client.post("/v1/responses", request(true, user("TURN2 next"), assistant()));

        assertThat(fake.modelCalls()).extracting(ApiCall::marker, ApiCall::replyIndex).containsExactly(
                tuple("TURN1", 1),
                tuple("TURN1", 2),
                tuple("TURN2", 0),
                tuple(null, -1),
                tuple("TURN2", -1));
    }

    @Test
    void injectsAnErrorForAScriptStep() throws Exception {
        fake.script("BROKEN", failure(500));

        HttpResponse<String> response = client.post("/v1/responses", request(true, user("BROKEN go")));

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("server_error");
        assertThat(error.path("message").asText()).isEqualTo("fake API: injected HTTP 500");
        assertThat(error.has("param")).isTrue();
        assertThat(fake.calls()).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Kind.MODEL);
            assertThat(c.status()).isEqualTo(500);
            assertThat(c.responseId()).isNull();
            assertThat(c.usage()).isNull();
        });
    }

    @Test
    void answersOtherPathsAndBadBodiesWithErrorsAndRecordsThem() throws Exception {
        HttpResponse<String> models = client.get("/v1/models");
        HttpResponse<String> noInput = client.post("/v1/responses", JSON.createObjectNode().put("model", "gpt-fake"));

        assertThat(models.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(models.body()).path("error").path("message").asText()).contains("/v1/models");
        assertThat(noInput.statusCode()).isEqualTo(400);
        assertThat(fake.calls()).extracting(ApiCall::method, ApiCall::path, ApiCall::kind).containsExactly(
                tuple("GET", "/v1/models", Kind.OTHER),
                tuple("POST", "/v1/responses", Kind.OTHER));
        assertThat(fake.modelCalls()).isEmpty();
    }

    @Test
    void recordsWhatCodexSends() throws Exception {
        ObjectNode body = request(true, user("M1 go"));
        body.putArray("tools").addObject().put("type", "function").put("name", "exec_command");

        client.post("/v1/responses", body, "session-id", "thread-1");

        ApiCall call = fake.calls().get(0);
        assertThat(call.sessionId()).isEqualTo("thread-1");
        assertThat(call.streamed()).isTrue();
        assertThat(call.toolNames()).containsExactly("exec_command");
        assertThat(call.input()).isEqualTo(body.path("input"));
    }

    private static ObjectNode request(boolean stream, JsonNode... input) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "gpt-fake");
        body.put("stream", stream);
        body.putArray("input").addAll(List.of(input));
        return body;
    }

    private static ObjectNode message(String role, String text) {
        ObjectNode message = JSON.createObjectNode().put("type", "message").put("role", role);
        message.putArray("content").addObject()
                .put("type", "assistant".equals(role) ? "output_text" : "input_text")
                .put("text", text);
        return message;
    }

    private static ObjectNode user(String prompt) {
        return message("user", prompt);
    }

    private static ObjectNode developer(String text) {
        return message("developer", text);
    }

    private static ObjectNode assistant() {
        return message("assistant", "earlier answer");
    }

    private static ObjectNode call(String callId) {
        return JSON.createObjectNode().put("type", "function_call").put("name", "exec_command")
                .put("arguments", "{\"cmd\":\"true\"}").put("call_id", callId);
    }

    private static ObjectNode output(String callId) {
        return output(callId, "Process exited with code 0\nOutput:\n");
    }

    private static ObjectNode output(String callId, String text) {
        return JSON.createObjectNode().put("type", "function_call_output").put("call_id", callId).put("output", text);
    }
}
