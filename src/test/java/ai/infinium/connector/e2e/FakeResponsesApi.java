package ai.infinium.connector.e2e;

import ai.infinium.connector.e2e.ResponsesApiRenderer.Ids;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A loopback fake of the OpenAI Responses API for driving the real Codex CLI offline.
 *
 * <p>Codex 0.169.0, pointed at a custom provider with {@code wire_api = "responses"}, calls only
 * {@code POST <base_url>/responses} with {@code "stream": true}: no model listing, no other start-up
 * call. Every other path gets a 404 in the API's error format and is recorded as {@link Kind#OTHER},
 * so a test can assert that nothing else was asked for.
 *
 * <p>Answers are scripted per marker word: {@code fake.script("TURN1", reply(...), reply(...))}.
 * For each call the fake looks for a registered marker in the user messages of {@code input},
 * newest first, and answers with the script entry whose index is the number of model responses
 * after that message (see {@link ResponsesApiConversation}). So a tool loop walks through the script
 * step by step and a resumed session (whose request still holds the first turn's prompt) follows the
 * script of its newest prompt. With no marker, or past the end of a script, the answer is the text
 * "ok". Every call is recorded for assertions.
 */
public final class FakeResponsesApi extends LoopbackFakeApi<ResponsesReply, FakeResponsesApi.ApiCall> {

    /** What a recorded call was. */
    public enum Kind {
        /** {@code POST /v1/responses}: one step of the agent's (or a subagent's) turn. */
        MODEL,
        /** Any other path or an unreadable body; answered 404 or 400. */
        OTHER
    }

    /**
     * Token usage of one response. Every field is derived from the response's sequence number with
     * a different offset, so a test can predict the numbers and a field mixed up with another shows.
     * As in the real API, cached tokens are part of the input tokens and reasoning tokens part of the
     * output tokens; the total is input plus output.
     */
    public record Usage(int inputTokens, int cachedTokens, int outputTokens, int reasoningTokens) {
        static Usage forSequence(int seq) {
            return new Usage(2_000 + seq, 1_000 + seq, 100 + seq, 10 + seq);
        }

        public int totalTokens() {
            return inputTokens + outputTokens;
        }
    }

    /**
     * One request the fake received and how it answered.
     *
     * @param headers    lower-case header names to the first value
     * @param body       the parsed JSON body, or {@code null} if there was none or it was not JSON
     * @param marker     the script marker the call was matched to, or {@code null}
     * @param replyIndex the script step answered, or -1 if no script step was used
     * @param responseId {@code resp_...} of the answer, or {@code null} for errors and other calls
     * @param callIds    the {@code call_id}s of the function calls in the answer, in order
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
            String responseId,
            String requestId,
            List<String> callIds,
            Usage usage) implements LoopbackFakeApi.RecordedCall {

        @Override
        public boolean isModelCall() {
            return kind == Kind.MODEL;
        }

        /** Codex's thread (session) id, sent on every model call; hooks get it as {@code session_id}. */
        public String sessionId() {
            return header("session-id");
        }

        /** The conversation Codex sent: messages, function calls and their outputs. */
        public JsonNode input() {
            return body == null ? null : body.path("input");
        }

        /** Names of the tools the request offered (function and namespace tools). */
        public List<String> toolNames() {
            List<String> names = new ArrayList<>();
            if (body != null) {
                for (JsonNode tool : body.path("tools")) {
                    if (tool.hasNonNull("name")) {
                        names.add(tool.path("name").asText());
                    }
                }
            }
            return names;
        }

        @Override
        public String toString() {
            return "#" + seq + " " + method + " " + path + " " + kind + " marker=" + marker + " step=" + replyIndex
                    + " status=" + status + (responseId == null ? "" : " " + responseId);
        }
    }

    private static final ResponsesReply FALLBACK = ResponsesReply.reply(ResponsesReply.text("ok"));

    private final ResponsesApiRenderer renderer = new ResponsesApiRenderer(json);

    private FakeResponsesApi() throws IOException {
        super("fake-responses-api", "x-request-id", new ResponsesApiConversation(), FALLBACK);
    }

    /** Starts the fake on 127.0.0.1 on a free port. */
    public static FakeResponsesApi start() throws IOException {
        return serving(new FakeResponsesApi());
    }

    /** The value for the provider's {@code base_url}; Codex appends {@code /responses}. */
    public String baseUrl() {
        return origin() + "/v1";
    }

    @Override
    protected void answer(FakeExchange exchange) throws IOException {
        boolean responsesRoute = exchange.is("POST", "/v1/responses");
        if (responsesRoute && exchange.body() != null && exchange.body().path("input").isArray()) {
            answerResponses(exchange);
        } else if (responsesRoute) {
            record(call(exchange, Kind.OTHER, unscripted(), 400, null, List.of(), null));
            exchange.sendJson(400, renderer.error("invalid_request_error", null,
                    "fake API: no JSON body with an input array"));
        } else {
            record(call(exchange, Kind.OTHER, unscripted(), 404, null, List.of(), null));
            exchange.sendJson(404, renderer.error("invalid_request_error", "not_found",
                    "fake API: no route for " + exchange.method() + " " + exchange.route()));
        }
    }

    private void answerResponses(FakeExchange exchange) throws IOException {
        JsonNode body = exchange.body();
        String model = body.path("model").asText("gpt-fake");
        Due<ResponsesReply> due = due(body.path("input"));

        if (due.reply() instanceof ResponsesReply.Failure failure) {
            record(call(exchange, Kind.MODEL, due, failure.status(), null, List.of(), null));
            exchange.sendJson(failure.status(), renderer.error(failure.errorType(), failure.code(), failure.message()));
            return;
        }
        ResponsesReply.Response response = (ResponsesReply.Response) due.reply();
        Ids ids = new Ids(exchange.id("resp"));
        List<String> callIds = new ArrayList<>();
        for (int i = 0; i < response.items().size(); i++) {
            if (response.items().get(i) instanceof ResponsesReply.FunctionCall) {
                callIds.add(ids.callId(i));
            }
        }
        Usage usage = Usage.forSequence(exchange.seq());
        long createdAt = Instant.now().getEpochSecond();
        record(call(exchange, Kind.MODEL, due, 200, ids.responseId(), callIds, usage));
        if (body.path("stream").asBoolean(false)) {
            exchange.sendEvents(renderer.stream(response, model, ids, createdAt, usage));
        } else {
            exchange.sendJson(200, renderer.completedResponse(response, model, ids, createdAt, usage));
        }
    }

    private static ApiCall call(FakeExchange exchange, Kind kind, Due<ResponsesReply> due, int status,
            String responseId, List<String> callIds, Usage usage) {
        return new ApiCall(exchange.seq(), exchange.method(), exchange.path(), exchange.headers(), exchange.body(), kind,
                due.marker(), due.step(), status, responseId, exchange.requestId(), List.copyOf(callIds), usage);
    }
}
