package ai.infinium.connector.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.Context;
import ai.infinium.connector.Version;
import ai.infinium.connector.config.FileSecretStore;
import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.export.HistoryEntry;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.export.infinium.InfiniumApi;
import ai.infinium.connector.export.RetryPolicy;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.Fixtures;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.RecordedRequest;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TraceSteps;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Claude Code 2.1.330 sessions posted to the server event by event, as the http hooks and the
 * launcher's forwarding would, flushed by the server's own threads into the stand-in for the API.
 */
class ServerFlushTest {
    static final String AGENT = "agent-server";
    static final String SECRET = "secret-server-123";
    static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir Path tmp;
    FakeInfiniumApi api;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        api = FakeInfiniumApi.start(AGENT, SECRET);
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    /** The same fixture through the command hook (flushes in-process, in order): what the server must match. */
    List<ReceivedTrace> commandModeTraces(String scenario, int expected) throws Exception {
        try (FakeInfiniumApi commandApi = FakeInfiniumApi.start(AGENT, SECRET)) {
            Path root = tmp.resolve("command-user");
            TestEnv env = new TestEnv(root).sendingTo(commandApi);
            RecordedSession s = Fixtures.claudeCode(root, scenario);
            for (String f : s.eventFiles()) {
                env.hook("claude-code", s.payload(f, project));
            }
            List<ReceivedTrace> traces = commandApi.awaitTraces(expected, BOUND);
            assertThat(traces).hasSize(expected);
            return traces;
        }
    }

    static List<String> traceRequests(FakeInfiniumApi api) {
        return api.requests().stream().filter(r -> r.path().endsWith("/trace")).map(RecordedRequest::toString)
                .toList();
    }

    /** Polls (bounded) until the outbox holds no entry: every queued trace was answered 2xx. */
    static void awaitOutboxEmpty(TestEnv env) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!env.context().outbox().list().isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("outbox still holds " + env.context().outbox().list());
            }
            Thread.sleep(50); // bounded poll: delivery runs on the server's thread
        }
    }

    static String log(TestEnv env) throws java.io.IOException {
        Path log = env.dirs().state().resolve("infinium.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    /** Polls (bounded) until the server has queued {@code n} traces: their turns' spool lines were read. */
    static void awaitTracesQueued(TestServer server, int n) throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (server.status().path("traces_queued").asInt() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server queued fewer than " + n + " traces: " + server.status());
            }
            Thread.sleep(20); // bounded poll: the flush runs on the server's thread
        }
    }

    @Test
    void realSessionPostedToTheServerGivesTheCommandHooksTracesExactlyOnce() throws Exception {
        List<ReceivedTrace> expected = commandModeTraces("02-main", 2);

        Path root = tmp.resolve("server-user");
        TestEnv env = new TestEnv(root).sendingTo(api);
        RecordedSession s = Fixtures.claudeCode(root, "02-main");
        try (TestServer server = TestServer.start(env, Duration.ofHours(1))) {
            int turns = 0;
            for (String f : s.eventFiles()) {
                RawHttp.Response r = server.postEvent("claude-code", s.payload(f, project));
                assertThat(r.status()).as(f).isEqualTo(200);
                assertThat(r.text()).isEqualTo("{}");
                if (f.endsWith("-Stop.json")) {
                    // The command hook flushes before the next event is recorded; here the next event waits
                    // until the server has read the spool for this turn (back to back: see the next test).
                    awaitTracesQueued(server, ++turns);
                }
            }
            List<ReceivedTrace> traces = api.awaitTraces(2, BOUND);
            awaitOutboxEmpty(env);

            assertThat(traces).hasSize(2);
            for (int i = 0; i < 2; i++) {
                ReceivedTrace got = traces.get(i);
                ReceivedTrace want = expected.get(i);
                assertThat(got.name()).isEqualTo(want.name());
                assertThat(TraceSteps.of(got)).isEqualTo(TraceSteps.of(want));
                assertThat(got.body().path("errors")).isEqualTo(want.body().path("errors"));
                assertThat(got.body().path("llm_usage")).isEqualTo(want.body().path("llm_usage"));
                assertThat(got.body().path("description")).isEqualTo(want.body().path("description"));
                assertThat(got.body().path("output_summary")).isEqualTo(want.body().path("output_summary"));
                assertThat(got.idempotencyKey()).as("the same deterministic trace key").isEqualTo(want.idempotencyKey());
            }
            assertThat(traces.get(0).body().path("llm_usage").path("api_calls_count").asInt()).isEqualTo(7);
            assertThat(traces.get(0).idempotencyKey()).isNotEqualTo(traces.get(1).idempotencyKey());

            JsonNode status = server.status();
            assertThat(status.path("events_received").asInt()).isEqualTo(s.eventFiles().size());
            assertThat(status.path("traces_queued").asInt()).isEqualTo(2);
            assertThat(status.path("sessions_open").asInt()).as("SessionEnd closed it").isZero();
        }
        // Exactly once: after the server stopped (and had every chance to resend), still two.
        assertThat(api.traces()).hasSize(2);
        assertThat(traceRequests(api)).as("one request per trace, no resend").hasSize(2);
        assertThat(api.replays()).isZero();
        assertThat(env.context().history().all()).extracting(HistoryEntry::key)
                .containsExactly(expected.get(0).idempotencyKey(), expected.get(1).idempotencyKey());
    }

    static List<String> stepsOf(List<ReceivedTrace> traces, String action) {
        return traces.stream().flatMap(t -> TraceSteps.of(t).stream()).filter(l -> l.startsWith(action + " |")).toList();
    }

    /**
     * As the hooks really fire: the background subagent's SubagentStop comes right after the turn's
     * Stop, often before the server's flush reads the spool. Then the first trace already shows the
     * subagent's result (the command hook's in-process flush, which runs before the next event, shows it
     * unfinished and reports it in the second). Either way: the same turns, keys and usage, every tool
     * call once, the subagent's result once.
     */
    @Test
    void eventsPostedBackToBackGiveTheSameTurnsAndUsageWithNothingLostOrDoubled() throws Exception {
        List<ReceivedTrace> expected = commandModeTraces("02-main", 2);

        Path root = tmp.resolve("server-user");
        TestEnv env = new TestEnv(root).sendingTo(api);
        RecordedSession s = Fixtures.claudeCode(root, "02-main");
        try (TestServer server = TestServer.start(env, Duration.ofHours(1))) {
            for (String f : s.eventFiles()) {
                assertThat(server.postEvent("claude-code", s.payload(f, project)).status()).as(f).isEqualTo(200);
            }
            List<ReceivedTrace> traces = api.awaitTraces(2, BOUND);
            awaitOutboxEmpty(env);

            assertThat(traces).extracting(ReceivedTrace::idempotencyKey)
                    .containsExactly(expected.get(0).idempotencyKey(), expected.get(1).idempotencyKey());
            assertThat(traces).extracting(ReceivedTrace::name).containsExactly(expected.get(0).name(),
                    expected.get(1).name());
            for (int i = 0; i < 2; i++) {
                assertThat(traces.get(i).body().path("llm_usage")).isEqualTo(expected.get(i).body().path("llm_usage"));
                assertThat(stepsOf(List.of(traces.get(i)), "user_prompt")).as("the turn's prompt")
                        .isEqualTo(stepsOf(List.of(expected.get(i)), "user_prompt"));
            }
            assertThat(stepsOf(traces, "tool_use")).containsExactlyElementsOf(stepsOf(expected, "tool_use"));
            assertThat(stepsOf(traces, "assistant_response")).containsExactlyElementsOf(
                    stepsOf(expected, "assistant_response"));
            assertThat(stepsOf(traces, "subagent")).filteredOn(l -> l.endsWith("out=Subagent result: from-subagent"))
                    .hasSize(1);
        }
        assertThat(api.traces()).hasSize(2);
        assertThat(traceRequests(api)).hasSize(2);
        assertThat(api.replays()).isZero();
    }

    @Test
    void stopRightAfterTheStopIsAcknowledgedStillDeliversTheTurn() throws Exception {
        Path root = tmp.resolve("server-user");
        TestEnv env = new TestEnv(root).sendingTo(api);
        RecordedSession s = Fixtures.claudeCode(root, "04-parallel");
        List<String> turn = s.eventFiles().subList(0, s.eventFiles().indexOf("10-Stop.json") + 1);
        TestServer server = TestServer.start(env, Duration.ofHours(1));
        api.delayNext(Duration.ofSeconds(1));

        for (String f : turn) {
            assertThat(server.postEvent("claude-code", s.payload(f, project)).status()).as(f).isEqualTo(200);
        }
        ServerProcess.Result r = server.stop();

        // stop() waits for due flushes and gives delivery up to 10 s: a 1 s answer is waited for, so the
        // trace is delivered before the run ends, with no poll needed.
        assertThat(r).isEqualTo(new ServerProcess.Stopped("stopped by the test"));
        assertThat(api.traces()).as("the server's log:\n%s", log(env)).hasSize(1);
        ReceivedTrace t = api.traces().get(0);
        assertThat(TraceSteps.of(t)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-PARALLEL run two commands at once",
                "tool_use | Tool: Bash — one | in=echo one | out=one",
                "tool_use | Tool: Bash — two | in=echo two | out=two",
                "assistant_response | Assistant response | out=Parallel done.");
        assertThat(api.pendingFaults()).as("the delayed answer was the one for this trace").isZero();
        assertThat(env.context().outbox().list()).as("answered 2xx: out of the outbox").isEmpty();
        assertThat(env.context().history().all()).extracting(HistoryEntry::key).containsExactly(t.idempotencyKey());
        assertThat(traceRequests(api)).hasSize(1);
    }

    @Test
    void stopThatMustGiveUpOnASlowApiLeavesTheTracePendingForTheSameKey() throws Exception {
        Path root = tmp.resolve("server-user");
        TestEnv env = new TestEnv(root).sendingTo(api);
        // The test exporter gives up on a request after 3 s and retries; this one waits a minute, as the real one does.
        RetryPolicy patient = new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), 0.25, Duration.ofSeconds(60),
                Duration.ofMillis(10), Duration.ofSeconds(2));
        Context ctx = new Context(env.env(), FileSecretStore.inConfigDir(env.dirs()), new InfiniumApi(
                HttpClient.newHttpClient(), patient, d -> Thread.sleep(d.toMillis()), new Random(7), Version.get()),
                System::currentTimeMillis);
        RecordedSession s = Fixtures.claudeCode(root, "04-parallel");
        List<String> turn = s.eventFiles().subList(0, s.eventFiles().indexOf("10-Stop.json") + 1);
        TestServer server = TestServer.start(env, ctx, Duration.ofHours(1));
        api.delayNext(Duration.ofSeconds(30)); // longer than the 10 s a stop gives delivery

        for (String f : turn) {
            assertThat(server.postEvent("claude-code", s.payload(f, project)).status()).as(f).isEqualTo(200);
        }
        ReceivedTrace stored = api.awaitTraces(1, BOUND).get(0); // the fake stores it, then holds the answer back
        ServerProcess.Result r = server.stop();

        assertThat(r).isInstanceOf(ServerProcess.Stopped.class);
        List<OutboxEntry> outbox = env.context().outbox().list();
        assertThat(outbox).hasSize(1);
        OutboxEntry pending = outbox.get(0);
        assertThat(pending.pending()).isTrue();
        assertThat(pending.key()).isEqualTo(stored.idempotencyKey());
        // The stop interrupts the delivery thread in its request: an abandoned attempt, not a failed
        // one. Nothing is counted against the entry, so it is resent as it was.
        assertThat(pending.attempts()).isZero();
        assertThat(pending.lastError()).isNull();
        assertThat(env.context().history().all()).as("never counted as delivered").isEmpty();

        // The resend uses the same key: the API answers from its idempotency record, one trace in the end.
        TestEnv.Result retry = env.run(root, "retry");
        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(env.context().outbox().list()).isEmpty();
        assertThat(api.traces()).hasSize(1);
        assertThat(api.replays()).isEqualTo(1);
        assertThat(env.context().history().all()).extracting(HistoryEntry::key).containsExactly(stored.idempotencyKey());
    }
}
