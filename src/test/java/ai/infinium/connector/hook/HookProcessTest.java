package ai.infinium.connector.hook;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.HookProcess;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook as the agent runs it: real processes, real pipes, real concurrency. */
class HookProcessTest {
    static final ObjectMapper JSON = ai.infinium.connector.spool.LargeJson.mapper();
    @TempDir Path tmp;
    TestEnv env;

    @BeforeEach
    void setUp() {
        env = new TestEnv(tmp);
    }

    static byte[] event(String session, String name, String toolUseId, int padding) {
        ObjectNode n = JSON.createObjectNode();
        n.put("session_id", session);
        n.put("transcript_path", "/nonexistent/t.jsonl");
        n.put("cwd", "/tmp");
        n.put("prompt_id", "p1");
        n.put("hook_event_name", name);
        n.put("tool_name", "Bash");
        n.putObject("tool_input").put("command", "echo " + "x".repeat(padding));
        n.put("tool_use_id", toolUseId);
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    List<JsonNode> spoolLines(String session) throws Exception {
        Path spool = env.dirs().sessions().resolve("claude-code").resolve(session + ".jsonl");
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(spool)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    @Test
    void sixtyFourConcurrentHooksOfOneSessionLoseNothingAndNeverInterleave() throws Exception {
        int n = 64;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<HookProcess.Outcome>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int id = i;
                // Every fourth event is 256 KB: far beyond any atomic-write size, so only the lock keeps lines whole.
                results.add(pool.submit(() -> HookProcess.run(env.env(), "claude-code",
                        event("s-concurrent", "PreToolUse", "tool-" + id, id % 4 == 0 ? 256 * 1024 : 10))));
            }
            for (Future<HookProcess.Outcome> f : results) {
                HookProcess.Outcome o = f.get(120, TimeUnit.SECONDS);
                assertThat(o.exitCode()).isZero();
                assertThat(o.stdout()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        List<JsonNode> lines = spoolLines("s-concurrent");
        assertThat(lines).hasSize(n);
        Set<String> ids = new HashSet<>();
        for (JsonNode l : lines) {
            assertThat(l.path("received_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            ids.add(l.path("event").path("tool_use_id").asText());
        }
        assertThat(ids).hasSize(n);
    }

    /** A person typing `infinium hook --help` gets help; with an event on stdin it is still not recorded. */
    @Test
    void hookHelpPrintsHelpAndRecordsNothing() throws Exception {
        for (String flag : List.of("--help", "-h")) {
            List<String> cmd = new ArrayList<>(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), "ai.infinium.connector.Main", "hook",
                    "--agent", "claude-code", flag));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env.env());
            Process p = pb.start();
            try (var in = p.getOutputStream()) {
                in.write(event("help-session", "PreToolUse", "t1", 0));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(out).startsWith("Usage: infinium hook --agent").contains("--server");
            assertThat(env.dirs().sessions().resolve("claude-code").resolve("help-session.jsonl")).doesNotExist();
        }
    }

    @Test
    void badInputNeverFailsTheAgentAndIsKept() throws Exception {
        for (String bad : new String[] {"not json at all", "{\"session_id\": \"s\", ", "[1,2,3]", "", "   \n",
                "{\"a\":1} trailing"}) {
            HookProcess.Outcome o = HookProcess.run(env.env(), "claude-code", bad.getBytes(StandardCharsets.UTF_8));
            assertThat(o.exitCode()).as("exit code for %s", bad).isZero();
            assertThat(o.stdout()).as("stdout for %s", bad).isEmpty();
        }
        Path malformed = env.dirs().sessions().resolve("claude-code").resolve("malformed.jsonl");
        List<String> kept = Files.readAllLines(malformed);
        assertThat(kept).hasSize(4);
        assertThat(JSON.readTree(kept.get(0)).path("raw").asText()).isEqualTo("not json at all");
        String log = Files.readString(env.dirs().state().resolve("infinium.log"));
        assertThat(log).contains("malformed event").contains("empty event");
    }

    @Test
    void hostileSessionIdsNeverWriteOutsideTheSessionDirectory() throws Exception {
        String[] hostile = {"../../escape", "/", "..", "a/b/c", "ctl\u0001\u001b[31mred", "x".repeat(10_240)};
        for (String id : hostile) {
            byte[] payload = event("placeholder", "PreToolUse", "t", 1);
            ObjectNode n = (ObjectNode) JSON.readTree(payload);
            n.put("session_id", id);
            HookProcess.Outcome o = HookProcess.run(env.env(), "claude-code", JSON.writeValueAsBytes(n));
            assertThat(o.exitCode()).isZero();
        }
        Path sessions = env.dirs().sessions().resolve("claude-code");
        try (Stream<Path> all = Files.walk(tmp)) {
            List<Path> files = all.filter(Files::isRegularFile).toList();
            assertThat(files).allMatch(p -> p.startsWith(env.dirs().sessions()) || p.startsWith(env.dirs().state()),
                    "every file inside the session or state directory");
        }
        try (Stream<Path> spools = Files.list(sessions)) {
            List<String> names = spools.map(p -> p.getFileName().toString()).toList();
            // beside each spool its append lock, hidden, named after it
            assertThat(names.stream().filter(s -> !s.startsWith(".")).toList()).hasSize(hostile.length)
                    .allMatch(s -> s.matches("h-[0-9a-f]{64}\\.jsonl"));
            assertThat(names.stream().filter(s -> s.startsWith(".")).toList()).hasSize(hostile.length)
                    .allMatch(s -> s.matches("\\.h-[0-9a-f]{64}\\.jsonl\\.lock"));
        }
    }

    @Test
    void aThirtyMegabyteEventIsRecordedWhole() throws Exception {
        byte[] big = event("s-big", "PostToolUse", "t-big", 30 * 1024 * 1024);
        HookProcess.Outcome o = HookProcess.run(env.env(), "claude-code", big);
        assertThat(o.exitCode()).isZero();
        assertThat(o.stdout()).isEmpty();
        List<JsonNode> lines = spoolLines("s-big");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("event").path("tool_input").path("command").asText()).hasSize(30 * 1024 * 1024 + 5);
    }

    @Test
    void stopReturnsAtOnceAndTheDetachedWorkerDeliversLater() throws Exception {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-proc", "secret-proc-123")) {
            env.sendingTo(api);
            ObjectNode prompt = JSON.createObjectNode().put("session_id", "s-detach").put("cwd", tmp.toString())
                    .put("prompt_id", "p1").put("hook_event_name", "UserPromptSubmit").put("prompt", "hello there");
            assertThat(HookProcess.run(env.env(), "claude-code", JSON.writeValueAsBytes(prompt)).exitCode()).isZero();
            api.delayNext(Duration.ofSeconds(4));
            ObjectNode stop = JSON.createObjectNode().put("session_id", "s-detach").put("cwd", tmp.toString())
                    .put("prompt_id", "p1").put("hook_event_name", "Stop").put("last_assistant_message", "hi!");
            long start = System.nanoTime();
            HookProcess.Outcome o = HookProcess.run(env.env(), "claude-code", JSON.writeValueAsBytes(stop));
            long hookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(o.exitCode()).isZero();
            assertThat(o.stdout()).isEmpty();
            // The delivery cannot finish before the 4 s delayed response; the hook must not wait for it.
            assertThat(env.dirs().state().resolve("history.jsonl"))
                    .as("the hook returned (after %d ms) before the delivery finished", hookMillis).doesNotExist();
            assertThat(api.awaitTraces(1, Duration.ofSeconds(60)).get(0).name()).isEqualTo("hello there");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(env.dirs().state().resolve("history.jsonl")) && System.nanoTime() < deadline) {
                Thread.sleep(50); // bounded poll for a file another process writes
            }
            assertThat(env.dirs().state().resolve("history.jsonl")).as("the detached worker finished the delivery").exists();
        }
    }

    @Test
    void pausedProjectRecordsNothing() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("proj/.infinium"));
        Files.writeString(project.resolve("paused"), "");
        ObjectNode n = (ObjectNode) JSON.readTree(event("s-paused", "PreToolUse", "t", 1));
        n.put("cwd", tmp.resolve("proj/sub/dir").toString());
        assertThat(HookProcess.run(env.env(), "claude-code", JSON.writeValueAsBytes(n)).exitCode()).isZero();
        assertThat(env.dirs().sessions().resolve("claude-code").resolve("s-paused.jsonl")).doesNotExist();
    }
}
