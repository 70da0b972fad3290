package ai.infinium.connector.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients at once, as parallel tool calls of several sessions post them: every event lands
 * in its session's spool exactly once, as one whole line.
 */
class ServerConcurrencyTest {
    static final ObjectMapper JSON = ai.infinium.connector.spool.LargeJson.mapper();
    static final int THREADS = 8;
    static final int EVENTS_PER_THREAD = 200;
    static final int SESSIONS = 8;

    @TempDir Path tmp;

    static String session(int s) {
        return "concurrent-session-" + s;
    }

    static byte[] event(String session, String name, String toolUseId, int padding) {
        ObjectNode n = JSON.createObjectNode();
        n.put("session_id", session);
        n.put("transcript_path", "/nonexistent/" + session + ".jsonl");
        n.put("cwd", "/tmp");
        n.put("hook_event_name", name);
        n.put("tool_name", "Bash");
        n.putObject("tool_input").put("command", "echo " + toolUseId);
        n.put("tool_use_id", toolUseId);
        if (name.equals("PostToolUse")) {
            n.putObject("tool_response").put("stdout", "y".repeat(padding)).put("stderr", "");
        } else {
            n.put("padding", "x".repeat(padding));
        }
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void eightClientsPostingSixteenHundredEventsOfEightSessionsLoseAndDuplicateNothing() throws Exception {
        TestEnv env = new TestEnv(tmp);
        Map<String, Set<String>> expected = new HashMap<>();
        for (int s = 0; s < SESSIONS; s++) {
            expected.put(session(s), new HashSet<>());
        }
        // Thread t's pair p goes to session (t + p) % 8: every session gets events from every thread, so
        // appends to one spool race each other as parallel tool calls of one session do.
        List<List<byte[]>> plans = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<byte[]> plan = new ArrayList<>();
            for (int p = 0; p < EVENTS_PER_THREAD / 2; p++) {
                String s = session((t + p) % SESSIONS);
                String id = "toolu-" + t + "-" + p;
                int padding = p % 8 == 0 ? 256 * 1024 : 64; // one pair in eight is a 256 KB event
                plan.add(event(s, "PreToolUse", id, padding));
                plan.add(event(s, "PostToolUse", id, padding));
                expected.get(s).add("PreToolUse " + id);
                expected.get(s).add("PostToolUse " + id);
            }
            plans.add(plan);
        }

        try (TestServer server = TestServer.start(env, Duration.ofHours(1))) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<List<String>>> results = new ArrayList<>();
                for (List<byte[]> plan : plans) {
                    results.add(pool.submit(() -> {
                        go.await();
                        List<String> answers = new ArrayList<>();
                        for (byte[] e : plan) {
                            RawHttp.Response r = server.postEvent("claude-code", e);
                            answers.add(r.status() + " " + r.text());
                        }
                        return answers;
                    }));
                }
                go.countDown();
                for (Future<List<String>> f : results) {
                    try {
                        assertThat(f.get(5, TimeUnit.MINUTES)).hasSize(EVENTS_PER_THREAD).containsOnly("200 {}");
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new AssertionError("a client failed; the server's log:\n" + log(env), e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
            }

            JsonNode status = server.status();
            assertThat(status.path("events_received").asLong()).isEqualTo((long) THREADS * EVENTS_PER_THREAD);
            assertThat(status.path("sessions_open").asLong()).isEqualTo(SESSIONS);
            assertThat(status.path("requests_rejected").asLong()).isZero();
        }

        Path agentDir = env.dirs().sessions().resolve("claude-code");
        int total = 0;
        for (int s = 0; s < SESSIONS; s++) {
            List<String> lines = Files.readAllLines(agentDir.resolve(session(s) + ".jsonl"), StandardCharsets.UTF_8);
            List<String> seen = new ArrayList<>();
            for (String line : lines) {
                JsonNode l = JSON.readTree(line); // a torn or interleaved line does not parse
                JsonNode e = l.path("event");
                assertThat(e.path("session_id").asText()).isEqualTo(session(s));
                String id = e.path("tool_use_id").asText();
                int padding = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) % 8 == 0 ? 256 * 1024 : 64;
                String big = e.path("hook_event_name").asText().equals("PostToolUse")
                        ? e.path("tool_response").path("stdout").asText() : e.path("padding").asText();
                assertThat(big).as("whole payload of %s", id).hasSize(padding);
                seen.add(e.path("hook_event_name").asText() + " " + id);
            }
            assertThat(seen).as("session %d: no duplicates", s).doesNotHaveDuplicates();
            assertThat(new HashSet<>(seen)).as("session %d: exactly its events", s).isEqualTo(expected.get(session(s)));
            total += lines.size();
        }
        assertThat(total).isEqualTo(THREADS * EVENTS_PER_THREAD);
        assertThat(log(env)).doesNotContain("request failed");
    }

    static String log(TestEnv env) throws java.io.IOException {
        Path log = env.dirs().state().resolve("infinium.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }
}
