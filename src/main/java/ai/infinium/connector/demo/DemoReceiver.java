package ai.infinium.connector.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The demo's stand-in for the Infinium API on 127.0.0.1: checks the agent headers, the 1 MB
 * limit and the required fields as the API does, and keeps what it accepted so the demo can
 * show it. One trace per idempotency key, like the real service.
 */
public final class DemoReceiver implements AutoCloseable {
    static final int MAX_BODY = 1_048_576;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String agentId;
    private final String secret;
    private final List<JsonNode> traces = new ArrayList<>();
    private final Map<String, String> byKey = new HashMap<>();

    private DemoReceiver(String agentId, String secret) throws IOException {
        this.agentId = agentId;
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/agents/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "demo-receiver");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static DemoReceiver start(String agentId, String secret) throws IOException {
        return new DemoReceiver(agentId, secret);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1";
    }

    public synchronized List<JsonNode> traces() {
        return new ArrayList<>(traces);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!"POST".equals(ex.getRequestMethod()) || !path.equals("/api/v1/agents/" + agentId + "/trace")) {
                reply(ex, 404, "{\"success\":false,\"message\":\"Not found\"}");
                return;
            }
            if (!agentId.equals(ex.getRequestHeaders().getFirst("x-agent-id"))
                    || !secret.equals(ex.getRequestHeaders().getFirst("x-agent-key"))) {
                reply(ex, 401, "{\"success\":false,\"message\":\"Authentication failed\"}");
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                reply(ex, 413, "{\"success\":false,\"message\":\"Payload exceeds 1MB\"}");
                return;
            }
            JsonNode trace;
            try {
                trace = JSON.readTree(body);
            } catch (IOException e) {
                reply(ex, 422, "{\"success\":false,\"message\":\"Body is not JSON\"}");
                return;
            }
            for (String field : new String[] {"name", "description", "current_datetime", "duration"}) {
                if (trace == null || !trace.hasNonNull(field)) {
                    reply(ex, 422, "{\"success\":false,\"message\":\"Missing field\",\"field\":\"" + field + "\"}");
                    return;
                }
            }
            String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
            String id;
            synchronized (this) {
                id = key == null ? null : byKey.get(key);
                if (id == null) {
                    traces.add(trace);
                    id = "demo-trace-" + traces.size();
                    if (key != null) {
                        byKey.put(key, id);
                    }
                }
            }
            reply(ex, 200, "{\"success\":true,\"message\":\"Trace received\",\"traceId\":\"" + id + "\"}");
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
