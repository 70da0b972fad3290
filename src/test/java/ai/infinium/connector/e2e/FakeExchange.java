package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/** One call to a {@link LoopbackFakeApi}: the request as read, the ids of the answer, and the ways to send it. */
final class FakeExchange {

    private final HttpExchange http;
    private final ObjectMapper json;
    private final int seq;
    private final String idTag;
    private final byte[] rawBody;
    private final JsonNode body;
    private final Map<String, String> headers;

    /**
     * Reads the request.
     *
     * @param seq   the call's number at its fake, from 1
     * @param idTag a tag unique to the fake, in every id it hands out
     */
    FakeExchange(HttpExchange http, ObjectMapper json, int seq, String idTag) throws IOException {
        this.http = http;
        this.json = json;
        this.seq = seq;
        this.idTag = idTag;
        this.rawBody = readBody(http);
        this.body = parseJson(rawBody);
        this.headers = headers(http);
    }

    int seq() {
        return seq;
    }

    String method() {
        return http.getRequestMethod();
    }

    /** The path with its query, as recorded. */
    String path() {
        return http.getRequestURI().toString();
    }

    /** The path without its query, as routed. */
    String route() {
        return http.getRequestURI().getPath();
    }

    boolean is(String method, String route) {
        return method.equals(method()) && route.equals(route());
    }

    /** Lower-case header names to the first value. */
    Map<String, String> headers() {
        return headers;
    }

    /** The parsed JSON body, or {@code null} if there was none or it was not JSON. */
    JsonNode body() {
        return body;
    }

    int bodySize() {
        return rawBody.length;
    }

    /** {@code <prefix>_fake<tag><seq>}: unique across calls and across fakes. */
    String id(String prefix) {
        return String.format("%s_fake%s%06d", prefix, idTag, seq);
    }

    String requestId() {
        return id("req");
    }

    void setResponseHeader(String name, String value) {
        http.getResponseHeaders().set(name, value);
    }

    void sendJson(int status, JsonNode answer) throws IOException {
        byte[] bytes = json.writeValueAsBytes(answer);
        http.getResponseHeaders().set("Content-Type", "application/json");
        http.sendResponseHeaders(status, bytes.length);
        http.getResponseBody().write(bytes);
    }

    /** A 200 streamed as server-sent events, each flushed on its own as a real stream arrives. */
    void sendEvents(List<SseEvent> events) throws IOException {
        sendStream(events.stream().map(event -> event.wire(json)).toList());
    }

    /**
     * A 200 {@code text/event-stream} of frames already in wire form, each flushed on its own: for
     * streams whose frames are not all {@link SseEvent}s (Chat Completions: data-only lines and a
     * closing {@code data: [DONE]}).
     */
    void sendStream(List<String> frames) throws IOException {
        http.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        http.getResponseHeaders().set("Cache-Control", "no-cache");
        http.sendResponseHeaders(200, 0); // 0 = chunked: the length is not announced, as with a real stream
        OutputStream out = http.getResponseBody();
        for (String frame : frames) {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /**
     * The request body, gunzipped if need be. Codex compresses bodies (zstd) only for OpenAI's own
     * endpoints, and {@link CodexRun} turns that off as well; gzip is accepted for other clients.
     */
    private static byte[] readBody(HttpExchange http) throws IOException {
        InputStream in = http.getRequestBody();
        String encoding = http.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
            in = new GZIPInputStream(in);
        }
        try (InputStream body = in) {
            return body.readAllBytes();
        }
    }

    private JsonNode parseJson(byte[] raw) {
        if (raw.length == 0) {
            return null;
        }
        try {
            return json.readTree(raw);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, String> headers(HttpExchange http) {
        Map<String, String> headers = new TreeMap<>();
        http.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return Collections.unmodifiableMap(headers);
    }
}
