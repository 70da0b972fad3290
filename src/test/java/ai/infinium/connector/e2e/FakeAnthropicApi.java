package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A loopback fake of the Anthropic Messages API for driving the real Claude Code CLI offline.
 *
 * <p>Answers are scripted per marker word: {@code fake.script("HARNESS-TURN1", reply(...),
 * reply(...))}. For each {@code POST /v1/messages} the fake looks for a registered marker in the
 * user prompts of the request, newest first (text blocks only, tool results are ignored), and
 * answers with the script entry whose index is the number of assistant messages after that
 * prompt. So a tool loop walks through the script step by step, a subagent (whose conversation
 * starts with its own prompt) follows its own script, and a continued session (whose request still
 * holds the first turn's prompt) follows the script of its newest prompt. With no marker, or past
 * the end of a script, the answer is the text "ok".
 *
 * <p>Requests without tools are the CLI's side requests (titles, summaries): they are answered
 * "ok" and never consume a script step. {@code count_tokens} gets a plausible count; any other path
 * gets a 404 in the API's error format. Every call is recorded for assertions.
 */
public final class FakeAnthropicApi extends LoopbackFakeApi<FakeReply, FakeAnthropicApi.ApiCall> {

    /** What a recorded call was. */
    public enum Kind {
        /** A model call with tools: the agent's own turn steps (main agent or subagent). */
        MODEL,
        /** A model call without tools: a title or summary the CLI asks for on the side. */
        SIDE,
        COUNT_TOKENS,
        /** Any other path; answered 404. */
        OTHER
    }

    /**
     * Token usage of one response. Every field is derived from the response's sequence number with
     * a different offset, so a test can predict the numbers and a field mixed up with another shows.
     * {@code message_start} reports {@code output_tokens} 1, as the API does before generating;
     * {@code message_delta} the final count.
     */
    public record Usage(int inputTokens, int cacheCreationInputTokens, int cacheReadInputTokens, int outputTokens) {
        static Usage forSequence(int seq) {
            return new Usage(100 + seq, 1_000 + seq, 10_000 + seq, 10 + seq);
        }
    }

    /**
     * One request the fake received and how it answered.
     *
     * @param headers    lower-case header names to the first value
     * @param body       the parsed JSON body, or {@code null} if there was none or it was not JSON
     * @param marker     the script marker the call was matched to, or {@code null}
     * @param replyIndex the script step answered, or -1 if no script step was used
     * @param messageId  {@code msg_...} of the answer, or {@code null} for errors and non-model calls
     * @param usage      usage reported in the answer, or {@code null} if it carried none
     */
    public record ApiCall(
            int seq,
            String method,
            String path,
            Map<String, String> headers,
            JsonNode body,
            Kind kind,
            String marker,
            int replyIndex,
            int status,
            String messageId,
            String requestId,
            Usage usage) implements LoopbackFakeApi.RecordedCall {

        @Override
        public boolean isModelCall() {
            return kind == Kind.MODEL;
        }

        /** The CLI's session id, sent on every model call. */
        public String sessionId() {
            return header("x-claude-code-session-id");
        }

        /** The subagent's id; {@code null} for the main agent's calls. */
        public String agentId() {
            return header("x-claude-code-agent-id");
        }

        /** Names of the tools the request offered. */
        public List<String> toolNames() {
            if (body == null) {
                return List.of();
            }
            return body.path("tools").findValuesAsText("name");
        }

        @Override
        public String toString() {
            return "#" + seq + " " + method + " " + path + " " + kind + " marker=" + marker + " step=" + replyIndex
                    + " status=" + status + (agentId() == null ? "" : " agent=" + agentId());
        }
    }

    private static final FakeReply FALLBACK = FakeReply.reply(FakeReply.text("ok"));

    private final MessagesApiRenderer renderer = new MessagesApiRenderer(json);

    private FakeAnthropicApi() throws IOException {
        super("fake-anthropic-api", "request-id", new MessagesApiConversation(), FALLBACK);
    }

    /** Starts the fake on 127.0.0.1 on a free port. */
    public static FakeAnthropicApi start() throws IOException {
        return serving(new FakeAnthropicApi());
    }

    /** The value for {@code ANTHROPIC_BASE_URL}. */
    public String baseUrl() {
        return origin();
    }

    @Override
    protected void answer(FakeExchange exchange) throws IOException {
        if (exchange.is("POST", "/v1/messages/count_tokens")) {
            // A rough but deterministic estimate: about four bytes per token.
            ObjectNode answer = json.createObjectNode().put("input_tokens", Math.max(1, exchange.bodySize() / 4));
            record(call(exchange, Kind.COUNT_TOKENS, unscripted(), 200, null, null));
            exchange.sendJson(200, answer);
        } else if (exchange.is("POST", "/v1/messages") && exchange.body() != null) {
            answerMessages(exchange);
        } else {
            record(call(exchange, Kind.OTHER, unscripted(), 404, null, null));
            exchange.sendJson(404, renderer.error("not_found_error",
                    "fake API: no route for " + exchange.method() + " " + exchange.route()));
        }
    }

    private void answerMessages(FakeExchange exchange) throws IOException {
        JsonNode body = exchange.body();
        String model = body.path("model").asText("claude-fake");
        boolean hasTools = body.path("tools").isArray() && !body.path("tools").isEmpty();
        Kind kind = hasTools ? Kind.MODEL : Kind.SIDE;
        Due<FakeReply> due = kind == Kind.MODEL ? due(body.path("messages")) : unscripted();

        if (due.reply() instanceof FakeReply.Failure failure) {
            record(call(exchange, kind, due, failure.status(), null, null));
            exchange.sendJson(failure.status(), renderer.error(failure.errorType(), failure.message()));
            return;
        }
        FakeReply.Message message = (FakeReply.Message) due.reply();
        String messageId = exchange.id("msg");
        Usage usage = Usage.forSequence(exchange.seq());
        record(call(exchange, kind, due, 200, messageId, usage));
        if (body.path("stream").asBoolean(false)) {
            exchange.sendEvents(renderer.stream(message, model, messageId, usage));
        } else {
            exchange.sendJson(200, renderer.message(message, model, messageId, usage));
        }
    }

    private static ApiCall call(FakeExchange exchange, Kind kind, Due<FakeReply> due, int status, String messageId,
            Usage usage) {
        return new ApiCall(exchange.seq(), exchange.method(), exchange.path(), exchange.headers(), exchange.body(), kind,
                due.marker(), due.step(), status, messageId, exchange.requestId(), usage);
    }
}
