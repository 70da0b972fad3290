package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.FakeApiClient.sseData;
import static ai.infinium.connector.e2e.FakeReply.failure;
import static ai.infinium.connector.e2e.FakeReply.reply;
import static ai.infinium.connector.e2e.FakeReply.text;
import static ai.infinium.connector.e2e.FakeReply.toolUse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ai.infinium.connector.e2e.FakeAnthropicApi.ApiCall;
import ai.infinium.connector.e2e.FakeAnthropicApi.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake's wire format and script selection, checked without the CLI. */
class FakeAnthropicApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @AutoClose
    private FakeAnthropicApi fake;
    private FakeApiClient client;

    @BeforeEach
    void start() throws Exception {
        fake = FakeAnthropicApi.start();
        client = new FakeApiClient(fake.origin());
    }

    @Test
    void streamsAScriptedReplyAsTheMessagesApiDoes() throws Exception {
        fake.script("M1", reply(text("Running it."), toolUse("Bash", Map.of("command", "echo hi"))));

        HttpResponse<String> response = client.post("/v1/messages?beta=true", request(true, user("M1 go")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(response.headers().firstValue("request-id")).hasValueSatisfying(v -> assertThat(v).startsWith("req_"));
        List<JsonNode> events = sseData(response.body());
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly(
                "message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");

        JsonNode message = events.get(0).path("message");
        ApiCall call = fake.modelCalls("M1").get(0);
        assertThat(message.path("id").asText()).startsWith("msg_").isEqualTo(call.messageId());
        assertThat(message.path("usage").path("input_tokens").asInt()).isEqualTo(call.usage().inputTokens());
        assertThat(events.get(2).path("content_block").path("type").asText()).isEqualTo("text");
        assertThat(events.get(3).path("delta").path("text").asText() + events.get(4).path("delta").path("text").asText())
                .isEqualTo("Running it.");
        JsonNode toolStart = events.get(6).path("content_block");
        assertThat(toolStart.path("name").asText()).isEqualTo("Bash");
        assertThat(toolStart.path("id").asText()).startsWith("toolu_");
        String partialJson = events.get(7).path("delta").path("partial_json").asText()
                + events.get(8).path("delta").path("partial_json").asText();
        assertThat(JSON.readTree(partialJson)).isEqualTo(JSON.readTree("{\"command\":\"echo hi\"}"));
        JsonNode delta = events.get(10);
        assertThat(delta.path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(delta.path("usage").path("output_tokens").asInt()).isEqualTo(call.usage().outputTokens());
        assertThat(call.requestId()).isEqualTo(response.headers().firstValue("request-id").orElseThrow());
    }

    @Test
    void answersANonStreamingRequestWithOneMessage() throws Exception {
        fake.script("M1", reply(text("plain")));

        HttpResponse<String> response = client.post("/v1/messages", request(false, user("M1 go")));

        JsonNode message = JSON.readTree(response.body());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("content").get(0).path("text").asText()).isEqualTo("plain");
        assertThat(message.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(message.path("id").asText()).isEqualTo(fake.modelCalls().get(0).messageId());
    }

    @Test
    void picksTheStepByAssistantMessagesAfterTheNewestMarkedPrompt() throws Exception {
        fake.script("TURN1", reply(text("a")), reply(text("b")), reply(text("c")));
        fake.script("TURN2", reply(text("second turn")));

        // Step 1 of TURN1: one assistant message since the prompt. A tool result that echoes
        // another marker does not count as a prompt.
        client.post("/v1/messages", request(false, user("TURN1 go"), assistant(), toolResult("TURN2 in output")));
        // A continued session: TURN1's history, then the TURN2 prompt.
        client.post("/v1/messages", request(false, user("TURN1 go"), assistant(), user("TURN2 next")));
        // Whole words only: TURN10 is not TURN1.
        client.post("/v1/messages", request(false, user("TURN10 go")));

        assertThat(fake.modelCalls()).extracting(ApiCall::marker, ApiCall::replyIndex).containsExactly(
                tuple("TURN1", 1),
                tuple("TURN2", 0),
                tuple(null, -1));
    }

    @Test
    void injectsAnErrorForAScriptStep() throws Exception {
        fake.script("BROKEN", failure(529));

        HttpResponse<String> response = client.post("/v1/messages", request(true, user("BROKEN go")));

        assertThat(response.statusCode()).isEqualTo(529);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(fake.calls()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(529);
            assertThat(c.messageId()).isNull();
        });
    }

    @Test
    void answersSideRequestsCountTokensAndUnknownPaths() throws Exception {
        fake.script("M1", reply(toolUse("Bash", Map.of("command", "true"))));
        ObjectNode noTools = request(false, user("M1 write a title"));
        noTools.remove("tools");

        JsonNode side = JSON.readTree(client.post("/v1/messages", noTools).body());
        HttpResponse<String> count = client.post("/v1/messages/count_tokens?beta=true", request(false, user("M1 go")));
        HttpResponse<String> other = client.post("/v1/other", request(false, user("M1 go")));

        assertThat(side.path("content").get(0).path("text").asText()).isEqualTo("ok");
        assertThat(JSON.readTree(count.body()).path("input_tokens").asInt()).isPositive();
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(fake.calls()).extracting(ApiCall::kind).containsExactly(Kind.SIDE, Kind.COUNT_TOKENS, Kind.OTHER);
        assertThat(fake.modelCalls()).isEmpty();
    }

    private static ObjectNode request(boolean stream, JsonNode... messages) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "claude-test");
        body.put("max_tokens", 1000);
        body.put("stream", stream);
        body.putArray("messages").addAll(List.of(messages));
        body.putArray("tools").addObject().put("name", "Bash");
        return body;
    }

    private static ObjectNode user(String prompt) {
        ObjectNode message = JSON.createObjectNode().put("role", "user");
        ArrayNode content = message.putArray("content");
        content.addObject().put("type", "text").put("text", "<system-reminder>context</system-reminder>");
        content.addObject().put("type", "text").put("text", prompt);
        return message;
    }

    private static ObjectNode assistant() {
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        message.putArray("content").addObject().put("type", "text").put("text", "earlier answer");
        return message;
    }

    private static ObjectNode toolResult(String output) {
        ObjectNode message = JSON.createObjectNode().put("role", "user");
        message.putArray("content").addObject()
                .put("type", "tool_result").put("tool_use_id", "toolu_1").put("content", output);
        return message;
    }
}
