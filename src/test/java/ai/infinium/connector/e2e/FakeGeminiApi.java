package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback fake of the Gemini API ({@code generativelanguage.googleapis.com}) for driving the
 * real Gemini CLI offline through {@code GOOGLE_GEMINI_BASE_URL}.
 *
 * <p>Gemini CLI 0.61.0 with an API key calls {@code POST /v1beta/models/<model>:streamGenerateContent?alt=sse}
 * for each step of a turn, answered here from the scripts as data-only server-sent events (text
 * split over chunks, function calls, and {@code usageMetadata} on the last chunk only, as the real
 * API does), and, with the default model {@code auto}, a JSON {@code :generateContent} side request
 * of its model router, answered with a routing verdict. Every other path gets a 404 in the API's
 * error format and is recorded as {@link Kind#OTHER}.
 *
 * <p>Scripts are chosen per marker word as in the other fakes ({@link ScriptStep}, with
 * {@link GeminiConversation}); every call is recorded with what it served.
 */
public final class FakeGeminiApi extends LoopbackFakeApi<GeminiReply, FakeGeminiApi.ApiCall> {

    public enum Kind {
        /** {@code :streamGenerateContent}: one step of the agent's turn. */
        MODEL,
        /** {@code :generateContent}: the model router's side request. */
        ROUTER,
        OTHER
    }

    /**
     * The usageMetadata of one answer, derived from its sequence number with a different offset per
     * field. As in the real API, cached tokens are part of the prompt tokens, thoughts are apart from
     * the candidates, and the total is prompt + candidates + thoughts.
     */
    public record Usage(int promptTokens, int cachedTokens, int candidatesTokens, int thoughtsTokens) {
        static Usage forSequence(int seq) {
            return new Usage(3_000 + seq, 1_000 + seq, 40 + seq, 5 + seq);
        }

        public int totalTokens() {
            return promptTokens + candidatesTokens + thoughtsTokens;
        }
    }

    /**
     * One request and how it was answered.
     *
     * @param model  the model named in the path
     * @param served the parts of the answer (text and function calls), empty for errors
     * @param usage  the usageMetadata served, or null
     */
    public record ApiCall(int seq, String method, String path, Map<String, String> headers, JsonNode body, Kind kind,
            String model, String marker, int replyIndex, int status, List<GeminiReply.Part> served, Usage usage)
            implements LoopbackFakeApi.RecordedCall {

        @Override
        public boolean isModelCall() {
            return kind == Kind.MODEL;
        }

        @Override
        public String toString() {
            return "#" + seq + " " + method + " " + path + " " + kind + " marker=" + marker + " step=" + replyIndex
                    + " status=" + status;
        }
    }

    private static final Pattern ROUTE = Pattern.compile("/v1beta/models/([^/:]+):(streamGenerateContent|generateContent)");
    private static final GeminiReply FALLBACK = GeminiReply.reply(GeminiReply.text("ok"));
    private static final String ROUTER_VERDICT = "{\"complexity_reasoning\": \"fake router\", \"complexity_score\": 1}";

    private FakeGeminiApi() throws IOException {
        super("fake-gemini-api", "x-request-id", new GeminiConversation(), FALLBACK);
    }

    public static FakeGeminiApi start() throws IOException {
        return serving(new FakeGeminiApi());
    }

    /** The value for {@code GOOGLE_GEMINI_BASE_URL}; the CLI adds {@code /v1beta/models/…}. */
    public String baseUrl() {
        return origin();
    }

    /** The main model's calls that served a reply, with its usage. */
    public List<ApiCall> servedModelCalls(String marker) {
        return modelCalls(marker).stream().filter(c -> c.usage() != null).toList();
    }

    @Override
    protected void answer(FakeExchange exchange) throws IOException {
        Matcher m = ROUTE.matcher(exchange.route());
        JsonNode body = exchange.body();
        if (!exchange.method().equals("POST") || !m.matches() || body == null || !body.path("contents").isArray()) {
            record(call(exchange, Kind.OTHER, null, unscripted(), 404, List.of(), null));
            exchange.sendJson(404, error(404, "NOT_FOUND", "fake API: no route for " + exchange.method() + " "
                    + exchange.route()));
            return;
        }
        String model = m.group(1);
        Usage usage = Usage.forSequence(exchange.seq());
        if (m.group(2).equals("generateContent")) {
            List<GeminiReply.Part> verdict = List.of(GeminiReply.text(ROUTER_VERDICT));
            record(call(exchange, Kind.ROUTER, model, unscripted(), 200, verdict, usage));
            ObjectNode answer = chunk(verdict, model, exchange.id("resp"));
            finish(answer, usage);
            exchange.sendJson(200, answer);
            return;
        }
        Due<GeminiReply> due = due(GeminiConversation.messages(body.path("contents"), json));
        if (due.reply() instanceof GeminiReply.Failure f) {
            record(call(exchange, Kind.MODEL, model, due, f.status(), List.of(), null));
            exchange.sendJson(f.status(), error(f.status(), f.apiStatus(), f.message()));
            return;
        }
        GeminiReply.Response reply = (GeminiReply.Response) due.reply();
        record(call(exchange, Kind.MODEL, model, due, 200, reply.parts(), usage));
        exchange.sendEvents(stream(reply, model, exchange.id("resp"), usage));
    }

    /** Text in two chunks (the CLI must join the deltas), each call in a chunk of its own, usage last. */
    private List<SseEvent> stream(GeminiReply.Response reply, String model, String responseId, Usage usage) {
        List<SseEvent> events = new ArrayList<>();
        for (GeminiReply.Part p : reply.parts()) {
            if (p instanceof GeminiReply.Text t) {
                for (String half : SseEvent.halves(t.text())) {
                    events.add(new SseEvent(null, chunk(List.of(GeminiReply.text(half)), model, responseId)));
                }
            } else {
                events.add(new SseEvent(null, chunk(List.of(p), model, responseId)));
            }
        }
        finish(events.get(events.size() - 1).data(), usage);
        return events;
    }

    private ObjectNode chunk(List<GeminiReply.Part> parts, String model, String responseId) {
        ObjectNode c = json.createObjectNode();
        ObjectNode candidate = c.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.put("role", "model");
        ArrayNode ps = content.putArray("parts");
        for (GeminiReply.Part p : parts) {
            if (p instanceof GeminiReply.Text t) {
                ps.addObject().put("text", t.text());
            } else if (p instanceof GeminiReply.FunctionCall f) {
                ObjectNode fc = ps.addObject().putObject("functionCall");
                fc.put("name", f.name());
                fc.set("args", json.valueToTree(f.args()));
            }
        }
        candidate.put("index", 0);
        c.put("modelVersion", model);
        c.put("responseId", responseId);
        return c;
    }

    private void finish(ObjectNode chunk, Usage usage) {
        ((ObjectNode) chunk.path("candidates").get(0)).put("finishReason", "STOP");
        ObjectNode u = chunk.putObject("usageMetadata");
        u.put("promptTokenCount", usage.promptTokens());
        u.put("candidatesTokenCount", usage.candidatesTokens());
        u.put("totalTokenCount", usage.totalTokens());
        u.put("cachedContentTokenCount", usage.cachedTokens());
        u.put("thoughtsTokenCount", usage.thoughtsTokens());
    }

    private ObjectNode error(int code, String status, String message) {
        ObjectNode e = json.createObjectNode();
        ObjectNode inner = e.putObject("error");
        inner.put("code", code);
        inner.put("message", message);
        inner.put("status", status);
        return e;
    }

    private static ApiCall call(FakeExchange exchange, Kind kind, String model, Due<GeminiReply> due, int status,
            List<GeminiReply.Part> served, Usage usage) {
        return new ApiCall(exchange.seq(), exchange.method(), exchange.path(), exchange.headers(), exchange.body(), kind,
                model, due.marker(), due.step(), status, List.copyOf(served), usage);
    }
}
