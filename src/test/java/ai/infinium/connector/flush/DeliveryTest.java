package ai.infinium.connector.flush;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.Fixtures;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Outages, repeated and racing flushes, a killed worker: every turn arrives exactly once. */
class DeliveryTest {
    static final String AGENT = "agent-delivery";
    static final String SECRET = "secret-delivery-1";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        api = FakeInfiniumApi.start(AGENT, SECRET);
        env = new TestEnv(tmp).sendingTo(api);
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    RecordedSession mainSession() throws Exception {
        return Fixtures.claudeCode(tmp, "02-main");
    }

    @Test
    void outageLeavesTurnsPendingAndRetryDeliversEachOnce() throws Exception {
        api.setDown(true);
        RecordedSession s = mainSession();
        for (String f : s.eventFiles()) {
            env.hook("claude-code", s.payload(f, project));
        }
        assertThat(api.traces()).isEmpty();

        TestEnv.Result status = env.run(project, "status", "--json");
        JsonNode st = JSON.readTree(status.out());
        assertThat(st.path("pending").asInt()).isEqualTo(2);
        assertThat(st.path("newest_error").asText()).contains("127.0.0.1:" + api.port()).doesNotContain("Exception");

        api.setDown(false);
        TestEnv.Result retry = env.run(project, "retry");
        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(retry.out()).contains("[1/2] delivered").contains("[2/2] delivered").contains("2 delivered, 0 still pending");
        assertThat(api.traces()).hasSize(2);
        assertThat(api.traces().get(0).idempotencyKey()).isNotEqualTo(api.traces().get(1).idempotencyKey());

        assertThat(JSON.readTree(env.run(project, "status", "--json").out()).path("pending").asInt()).isZero();
        TestEnv.Result again = env.run(project, "retry");
        assertThat(again.out()).contains("0 delivered, 0 still pending");
        assertThat(api.traces()).hasSize(2);
        assertThat(api.replays()).isZero();

        TestEnv.Result history = env.run(project, "history", "--json");
        assertThat(history.out().lines().toList()).hasSize(2);
    }

    /**
     * After an outage, a backlog bigger than a handful goes out a few requests at a time (each
     * waits on the network far longer than it works), and still every trace arrives once.
     */
    @Test
    void aBacklogIsSentSeveralAtATimeAndEachTraceOnce() throws Exception {
        api.setDown(true);
        RecordedSession s = mainSession();
        int sessions = 6; // 12 traces: more than go out one by one
        for (int i = 0; i < sessions; i++) {
            for (String f : s.eventFiles()) {
                ObjectNode e = (ObjectNode) JSON.readTree(s.payload(f, project));
                e.put("session_id", String.format("00000000-0000-4000-8000-%012d", i));
                env.hook("claude-code", JSON.writeValueAsBytes(e));
            }
        }
        int pending = JSON.readTree(env.run(project, "status", "--json").out()).path("pending").asInt();
        assertThat(pending).isEqualTo(2 * sessions);

        api.setDown(false);
        for (int i = 0; i < pending; i++) {
            api.delayNext(Duration.ofMillis(150)); // long enough for the senders to overlap
        }
        TestEnv.Result retry = env.run(project, "retry");
        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(retry.out()).contains("[" + pending + "/" + pending + "] delivered")
                .contains(pending + " delivered, 0 still pending");
        assertThat(api.traces()).hasSize(pending);
        assertThat(api.traces().stream().map(t -> t.idempotencyKey()).distinct().count()).isEqualTo(pending);
        assertThat(api.replays()).isZero();
        assertThat(api.maxConcurrentRequests()).as("several at a time, at most four").isBetween(2, 4);
        assertThat(env.run(project, "history", "--json", "--limit", "100").out().lines().toList()).hasSize(pending);
        assertThat(JSON.readTree(env.run(project, "status", "--json").out()).path("pending").asInt()).isZero();
    }

    @Test
    void flushingTheSameSessionAgainSendsNothingNew() throws Exception {
        RecordedSession s = mainSession();
        for (String f : s.eventFiles()) {
            env.hook("claude-code", s.payload(f, project));
        }
        api.awaitTraces(2, Duration.ofSeconds(20));
        Path spool = env.dirs().sessions().resolve("claude-code").resolve("a5fa86a9-0b94-429b-8a50-3701b0c4ba7d.jsonl");
        for (String reason : new String[] {"turn-end", "session-end", "turn-end"}) {
            assertThat(env.run(tmp, "flush", "--session-file", spool.toString(), "--reason",
                    reason).code()).isZero();
        }
        assertThat(api.requests()).hasSize(2);
    }

    @Test
    void racingFlushWorkersSendEachTurnOnce() throws Exception {
        RecordedSession s = mainSession();
        for (String f : s.eventFiles()) {
            env.hookWithoutFlush("claude-code", s.payload(f, project));
        }
        Path spool = env.dirs().sessions().resolve("claude-code").resolve("a5fa86a9-0b94-429b-8a50-3701b0c4ba7d.jsonl");
        List<Process> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(flushProcess(spool));
        }
        for (Process p : workers) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        assertThat(api.traces()).hasSize(2);
        assertThat(api.requests()).as("no entry was sent by two workers").hasSize(2);
    }

    @Test
    void aWorkerKilledMidSendIsResentLaterUnderTheSameKey() throws Exception {
        String session = "s-killed";
        env.hookWithoutFlush("claude-code", json("session_id", session, "cwd", project.toString(), "prompt_id", "p1",
                "hook_event_name", "UserPromptSubmit", "prompt", "do the thing"));
        env.hookWithoutFlush("claude-code", json("session_id", session, "cwd", project.toString(), "prompt_id", "p1",
                "hook_event_name", "Stop", "last_assistant_message", "done"));
        Path spool = env.dirs().sessions().resolve("claude-code").resolve(session + ".jsonl");
        api.delayNext(Duration.ofSeconds(60));
        Process worker = flushProcess(spool);
        api.awaitRequests(1, Duration.ofSeconds(60));
        worker.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();

        TestEnv.Result retry = env.run(project, "retry");
        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(api.traces()).as("one trace at the server").hasSize(1);
        assertThat(api.requests()).hasSize(2);
        assertThat(api.requests().get(0).header("idempotency-key"))
                .isEqualTo(api.requests().get(1).header("idempotency-key"));
        assertThat(env.run(project, "history", "--json").out().lines().toList()).hasSize(1);
    }

    @Test
    void aHugeToolOutputStillFitsUnderTheApiLimit() throws Exception {
        String session = "s-huge";
        env.hook("claude-code", json("session_id", session, "cwd", project.toString(), "prompt_id", "p1",
                "hook_event_name", "UserPromptSubmit", "prompt", "read the big file"));
        ObjectNode pre = JSON.createObjectNode().put("session_id", session).put("cwd", project.toString())
                .put("prompt_id", "p1").put("hook_event_name", "PreToolUse").put("tool_name", "Bash")
                .put("tool_use_id", "t1");
        pre.putObject("tool_input").put("command", "cat huge.log");
        env.hook("claude-code", JSON.writeValueAsBytes(pre));
        ObjectNode post = pre.deepCopy().put("hook_event_name", "PostToolUse");
        post.putObject("tool_response").put("stdout", "y".repeat(30 * 1024 * 1024));
        env.hook("claude-code", JSON.writeValueAsBytes(post));
        env.hook("claude-code", json("session_id", session, "cwd", project.toString(), "prompt_id", "p1",
                "hook_event_name", "Stop", "last_assistant_message", "z".repeat(2_000_000)));
        JsonNode t = api.awaitTraces(1, Duration.ofSeconds(30)).get(0).body();
        assertThat(t.path("steps").get(1).path("output_preview").asText()).hasSize(300);
        assertThat(t.toString().length()).isLessThan(950_000);
    }

    @Test
    void aSessionWithNoConfigurationIsSkippedQuietly() throws Exception {
        env.with("INFINIUM_AGENT_ID", null).with("INFINIUM_AGENT_SECRET", null);
        env.hook("claude-code", json("session_id", "s-none", "cwd", project.toString(), "prompt_id", "p1",
                "hook_event_name", "UserPromptSubmit", "prompt", "hi"));
        env.hook("claude-code", json("session_id", "s-none", "cwd", project.toString(), "prompt_id", "p1",
                "hook_event_name", "Stop", "last_assistant_message", "hello"));
        env.hook("claude-code", json("session_id", "s-none", "cwd", project.toString(), "prompt_id", "p2",
                "hook_event_name", "UserPromptSubmit", "prompt", "again"));
        env.hook("claude-code", json("session_id", "s-none", "cwd", project.toString(), "prompt_id", "p2",
                "hook_event_name", "Stop", "last_assistant_message", "hello again"));
        assertThat(api.requests()).isEmpty();
        String log = Files.readString(env.dirs().state().resolve("infinium.log"));
        assertThat(log.split("not traced", -1)).as("logged once per session").hasSize(2);
    }

    Process flushProcess(Path spool) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "ai.infinium.connector.Main", "flush",
                "--session-file", spool.toString(), "--reason", "session-end");
        pb.environment().clear();
        pb.environment().putAll(env.env());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb.start();
    }

    static byte[] json(String... kv) {
        ObjectNode n = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            n.put(kv[i], kv[i + 1]);
        }
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }
}
