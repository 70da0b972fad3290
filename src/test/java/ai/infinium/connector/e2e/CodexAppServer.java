package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Codex's own view of its hooks, asked through {@code codex app-server} (JSON-RPC over stdio,
 * {@code hooks/list}): each handler's trust key, current hash and trust status, as Codex computes
 * them. Lets a test check our reading of Codex's trust records against Codex itself.
 */
final class CodexAppServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final OutputStream in;
    private final BlockingQueue<JsonNode> replies = new ArrayBlockingQueue<>(64);
    private int nextId = 1;

    CodexAppServer(Path codexHome, Path home, Path cwd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(CodexBinary.executable().toString(), "app-server")
                .directory(cwd.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().clear();
        pb.environment().putAll(Map.of("HOME", home.toString(), "CODEX_HOME", codexHome.toString(),
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "TMPDIR", home.toString()));
        process = pb.start();
        in = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    JsonNode m = JSON.readTree(line);
                    if (m.has("id")) {
                        replies.offer(m);
                    }
                }
            } catch (IOException ignored) {
                // the server went away; call() times out with a clear message
            }
        }, "codex-app-server-reader");
        reader.setDaemon(true);
        reader.start();
        call("initialize", JSON.createObjectNode().set("clientInfo",
                JSON.createObjectNode().put("name", "infinium-tests").put("version", "0")));
        notifyServer("initialized");
    }

    /** {@code hooks/list} for one working directory: the hooks Codex would run there. */
    JsonNode hooks(Path cwd) throws IOException, InterruptedException {
        ObjectNode params = JSON.createObjectNode();
        params.putArray("cwds").add(cwd.toString());
        return call("hooks/list", params).path("result").path("data").path(0).path("hooks");
    }

    private JsonNode call(String method, JsonNode params) throws IOException, InterruptedException {
        int id = nextId++;
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        m.set("params", params);
        send(m);
        while (true) {
            JsonNode reply = replies.poll(30, TimeUnit.SECONDS);
            if (reply == null) {
                throw new IOException("codex app-server did not answer " + method + " within 30 s");
            }
            if (reply.path("id").asInt() == id) {
                if (reply.has("error")) {
                    throw new IOException(method + ": " + reply.get("error"));
                }
                return reply;
            }
        }
    }

    private void notifyServer(String method) throws IOException {
        send(JSON.createObjectNode().put("method", method));
    }

    private void send(JsonNode message) throws IOException {
        in.write((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
