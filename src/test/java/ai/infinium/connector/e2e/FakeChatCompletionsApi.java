package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A loopback fake of the OpenAI Chat Completions API for driving agents that speak it (GitHub
 * Copilot CLI, Qwen Code) offline.
 *
 * <p>Answers are scripted per marker word: {@code fake.script("TURN1", reply(toolCall("bash",
 * Map.of("command", "echo hi"))), reply(text("done")))}. For each {@code POST /v1/chat/completions}
 * the fake looks for a registered marker in the user messages of {@code messages}, newest first
 * (text only: tool results are {@code tool} messages), and answers with the script entry whose index
 * is the number of assistant messages after that message (see {@link ScriptStep}; the layout is the
 * Messages API's, so {@link MessagesApiConversation} reads it). With no marker, or past the end of a
 * script, the answer is the text "ok".
 *
 * <p>Requests without tools are taken for the agent's side requests (titles, summaries, memory
 * extraction): they are answered {@link #sideReply} with usage, never consume a script step, and are
 * recorded as {@link Kind#SIDE}; {@link #sideCallsAre} changes the rule. {@code GET /v1/models}
 * lists {@link #models}; any other path gets a 404 in the API's error format. Every call is recorded
 * with the usage it served (none for a stream that did not ask for it with {@code
 * stream_options.include_usage}), so a test can total tokens on its own.
 */
public final class FakeChatCompletionsApi extends LoopbackFakeApi<ChatCompletionsReply, FakeChatCompletionsApi.ApiCall> {

    /** What a recorded call was. */
    public enum Kind {
        /** A completion with tools: a step of the agent's (or a subagent's) turn. */
        MODEL,
        /** A completion taken for a side request (by default: one without tools). */
        SIDE,
        /** {@code GET /v1/models} or {@code GET /v1/models/<id>}. */
        MODELS,
        /** Any other path or an unreadable body; answered 404 or 400. */
        OTHER
    }

    /**
     * One request the fake received and how it answered.
     *
     * @param headers      lower-case header names to the first value
     * @param body         the parsed JSON body, or {@code null} if there was none or it was not JSON
     * @param marker       the script marker the call was matched to, or {@code null}
     * @param replyIndex   the script step answered, or -1 if no script step was used
     * @param completionId {@code chatcmpl-...} of the answer, or {@code null} for errors and other calls
     * @param toolCallIds  the ids of the tool calls in the answer, in order
     * @param usage        usage the answer reported, or {@code null} if it carried none. The numbers
     *                     are {@link FakeResponsesApi.Usage}'s, one set per call derived from its
     *                     sequence number: prompt_tokens is its {@code inputTokens}, completion_tokens
     *                     its {@code outputTokens}, with the cached and reasoning tokens inside them
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
            String completionId,
            String requestId,
            List<String> toolCallIds,
            FakeResponsesApi.Usage usage) implements LoopbackFakeApi.RecordedCall {

        @Override
        public boolean isModelCall() {
            return kind == Kind.MODEL;
        }

        /** The conversation the agent sent. */
        public JsonNode messages() {
            return body == null ? null : body.path("messages");
        }

        /** The model the request named. */
        public String model() {
            return body == null ? null : body.path("model").asText(null);
        }

        /** Names of the function tools the request offered. */
        public List<String> toolNames() {
            List<String> names = new ArrayList<>();
            if (body != null) {
                for (JsonNode tool : body.path("tools")) {
                    if (tool.path("function").hasNonNull("name")) {
                        names.add(tool.path("function").path("name").asText());
                    }
                }
            }
            return names;
        }

        /** Whether a streamed request asked for the closing usage chunk. */
        public boolean includeUsage() {
            return body != null && body.path("stream_options").path("include_usage").asBoolean(false);
        }

        @Override
        public String toString() {
            return "#" + seq + " " + method + " " + path + " " + kind + " marker=" + marker + " step=" + replyIndex
                    + " status=" + status + (usage == null ? "" : " " + usage);
        }
    }

    private static final ChatCompletionsReply.Message FALLBACK = ChatCompletionsReply.reply(ChatCompletionsReply.text("ok"));

    private final ChatCompletionsRenderer renderer = new ChatCompletionsRenderer(json);
    /** The OpenAI error body is the same for both OpenAI APIs. */
    private final ResponsesApiRenderer errors = new ResponsesApiRenderer(json);
    private volatile Predicate<JsonNode> isSideCall = body -> body.path("tools").isEmpty();
    private volatile ChatCompletionsReply.Message sideReply = FALLBACK;
    private volatile List<String> models = List.of("fake-model");

    private FakeChatCompletionsApi() throws IOException {
        super("fake-chat-completions-api", "x-request-id", new MessagesApiConversation(), FALLBACK);
    }

    /** Starts the fake on 127.0.0.1 on a free port. */
    public static FakeChatCompletionsApi start() throws IOException {
        return serving(new FakeChatCompletionsApi());
    }

    /** The OpenAI base URL ({@code http://127.0.0.1:<port>/v1}); clients append {@code /chat/completions}. */
    public String baseUrl() {
        return origin() + "/v1";
    }

    /** Which request bodies are side requests, answered {@link #sideReply} outside any script. */
    public FakeChatCompletionsApi sideCallsAre(Predicate<JsonNode> isSideCall) {
        this.isSideCall = Objects.requireNonNull(isSideCall);
        return this;
    }

    /** The answer to side requests; "ok" unless set. */
    public FakeChatCompletionsApi sideReply(ChatCompletionsReply.Message reply) {
        this.sideReply = Objects.requireNonNull(reply);
        return this;
    }

    /** The model ids {@code GET /v1/models} lists; {@code fake-model} unless set. */
    public FakeChatCompletionsApi models(String... ids) {
        this.models = List.of(ids);
        return this;
    }

    @Override
    protected void answer(FakeExchange exchange) throws IOException {
        long now = Instant.now().getEpochSecond();
        boolean completionsRoute = exchange.is("POST", "/v1/chat/completions");
        if (completionsRoute && exchange.body() != null && exchange.body().path("messages").isArray()) {
            answerCompletion(exchange);
        } else if (completionsRoute) {
            reject(exchange, 400, null, "fake API: no JSON body with a messages array");
        } else if (exchange.is("GET", "/v1/models")) {
            record(call(exchange, Kind.MODELS, unscripted(), 200, null, List.of(), null));
            exchange.sendJson(200, renderer.models(models, now));
        } else if (exchange.method().equals("GET") && exchange.route().startsWith("/v1/models/")
                && models.contains(exchange.route().substring("/v1/models/".length()))) {
            record(call(exchange, Kind.MODELS, unscripted(), 200, null, List.of(), null));
            exchange.sendJson(200, renderer.model(exchange.route().substring("/v1/models/".length()), now));
        } else {
            reject(exchange, 404, "not_found", "fake API: no route for " + exchange.method() + " " + exchange.route());
        }
    }

    private void reject(FakeExchange exchange, int status, String code, String message) throws IOException {
        record(call(exchange, Kind.OTHER, unscripted(), status, null, List.of(), null));
        exchange.sendJson(status, errors.error("invalid_request_error", code, message));
    }

    private void answerCompletion(FakeExchange exchange) throws IOException {
        JsonNode body = exchange.body();
        Kind kind = isSideCall.test(body) ? Kind.SIDE : Kind.MODEL;
        Due<ChatCompletionsReply> due = kind == Kind.MODEL ? due(body.path("messages")) : unscripted();
        ChatCompletionsReply reply = kind == Kind.SIDE ? sideReply : due.reply();

        if (reply instanceof ChatCompletionsReply.Failure failure) {
            ResponsesReply.Failure error = failure.error();
            record(call(exchange, kind, due, error.status(), null, List.of(), null));
            exchange.sendJson(error.status(), errors.error(error.errorType(), error.code(), error.message()));
            return;
        }
        ChatCompletionsReply.Message message = (ChatCompletionsReply.Message) reply;
        ChatCompletionsRenderer.Completion completion = new ChatCompletionsRenderer.Completion(
                "chatcmpl-" + exchange.id("cc").substring("cc_".length()),
                body.path("model").asText("fake-model"), Instant.now().getEpochSecond());
        List<String> toolCallIds = new ArrayList<>();
        for (int i = 0; i < message.toolCalls().size(); i++) {
            toolCallIds.add(completion.toolCallId(i));
        }
        boolean stream = body.path("stream").asBoolean(false);
        boolean servesUsage = !stream || body.path("stream_options").path("include_usage").asBoolean(false);
        FakeResponsesApi.Usage usage = servesUsage ? FakeResponsesApi.Usage.forSequence(exchange.seq()) : null;
        record(call(exchange, kind, due, 200, completion.id(), toolCallIds, usage));
        if (stream) {
            exchange.sendStream(renderer.stream(message, completion, usage));
        } else {
            exchange.sendJson(200, renderer.completion(message, completion, usage));
        }
    }

    private static ApiCall call(FakeExchange exchange, Kind kind, Due<ChatCompletionsReply> due, int status,
            String completionId, List<String> toolCallIds, FakeResponsesApi.Usage usage) {
        return new ApiCall(exchange.seq(), exchange.method(), exchange.path(), exchange.headers(), exchange.body(), kind,
                due.marker(), due.step(), status, completionId, exchange.requestId(), List.copyOf(toolCallIds), usage);
    }
}
