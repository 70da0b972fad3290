package ai.infinium.connector.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.config.ServerToken;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel tool calls of one session post at once. File locks are per JVM, so without more the
 * server's intake threads would fail each other's appends; every event must land, whole.
 */
class ParallelIntakeTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    @Test
    void parallelEventsOfOneSessionAllLandWhole() throws Exception {
        TestEnv env = new TestEnv(tmp);
        ServerFiles files = new ServerFiles(env.dirs(), env.env());
        CompletableFuture<HookServer> up = new CompletableFuture<>();
        Thread serverThread = new Thread(() -> {
            try {
                ServerProcess.run(env.context(), files, 0, Duration.ofMinutes(5), up::complete);
            } catch (Exception e) {
                up.completeExceptionally(e);
            }
        });
        serverThread.start();
        HookServer server = up.get(30, TimeUnit.SECONDS);
        String token = ServerToken.readIfPrivate(files);
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> codes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String body = "{\"session_id\":\"same\",\"cwd\":\"/tmp\",\"hook_event_name\":\"PostToolUse\","
                        + "\"tool_use_id\":\"t" + i + "\",\"tool_response\":\"" + "x".repeat(i % 4 == 0 ? 200_000 : 10) + "\"}";
                HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hook/claude-code"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                codes.add(pool.submit(() -> http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            for (Future<Integer> c : codes) {
                assertThat(c.get(60, TimeUnit.SECONDS)).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
            server.stop("test over");
            serverThread.join(30_000);
        }
        Set<String> ids = new HashSet<>();
        List<String> lines = Files.readAllLines(env.dirs().sessions().resolve("claude-code").resolve("same.jsonl"));
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            ids.add(n.path("event").path("tool_use_id").asText());
        }
        assertThat(lines).hasSize(200);
        assertThat(ids).hasSize(200);
    }
}
