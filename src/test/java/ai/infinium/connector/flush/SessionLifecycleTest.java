package ai.infinium.connector.flush;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Turns without a Stop, sessions that never end, session granularity, settings from the environment. */
class SessionLifecycleTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;

    @BeforeEach
    void setUp() {
        api = FakeInfiniumApi.start("agent-life", "secret-life-1");
        env = new TestEnv(tmp).sendingTo(api);
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    byte[] ev(String session, String prompt, String name, String... kv) throws Exception {
        ObjectNode n = JSON.createObjectNode().put("session_id", session).put("cwd", tmp.toString())
                .put("hook_event_name", name);
        if (prompt != null) {
            n.put("prompt_id", prompt);
        }
        for (int i = 0; i < kv.length; i += 2) {
            n.put(kv[i], kv[i + 1]);
        }
        return JSON.writeValueAsBytes(n);
    }

    @Test
    void anInterruptedTurnIsSentWhenTheNextPromptEnds() throws Exception {
        env.hook("claude-code", ev("s", "p1", "UserPromptSubmit", "prompt", "first, interrupted"));
        env.hook("claude-code", ev("s", "p1", "PreToolUse", "tool_name", "Bash", "tool_use_id", "t1"));
        // No Stop: the user pressed Esc. Then a new prompt that completes.
        env.hook("claude-code", ev("s", "p2", "UserPromptSubmit", "prompt", "second"));
        env.hook("claude-code", ev("s", "p2", "Stop", "last_assistant_message", "done"));
        List<ReceivedTrace> t = api.awaitTraces(2, Duration.ofSeconds(10));
        assertThat(t.get(0).name()).isEqualTo("first, interrupted");
        assertThat(t.get(0).body().path("steps").get(1).path("status").asText()).isEqualTo("unfinished");
        assertThat(t.get(1).name()).isEqualTo("second");
    }

    @Test
    void sessionGranularitySendsOneTraceAtSessionEnd() throws Exception {
        env.with("CONNECTOR_GRANULARITY", "session");
        for (int i = 1; i <= 3; i++) {
            env.hook("claude-code", ev("s", "p" + i, "UserPromptSubmit", "prompt", "prompt " + i));
            env.hook("claude-code", ev("s", "p" + i, "Stop", "last_assistant_message", "answer " + i));
        }
        assertThat(api.requests()).isEmpty();
        env.hook("claude-code", ev("s", "p3", "SessionEnd", "reason", "other"));
        ReceivedTrace t = api.awaitTraces(1, Duration.ofSeconds(10)).get(0);
        assertThat(t.name()).isEqualTo("Claude Code session (3 turns)");
        assertThat(t.body().path("description").asText()).isEqualTo("prompt 1");
        assertThat(t.body().path("output_summary").asText()).isEqualTo("answer 3");
        assertThat(t.body().path("steps")).hasSize(6);
        assertThat(t.body().path("environment").path("custom_tags").path("turn_count").asInt()).isEqualTo(3);
    }

    @Test
    void flushOnStopCanBeSwitchedOff() throws Exception {
        env.with("CONNECTOR_FLUSH_ON_STOP", "false");
        env.hook("claude-code", ev("s", "p1", "UserPromptSubmit", "prompt", "hello"));
        env.hook("claude-code", ev("s", "p1", "Stop", "last_assistant_message", "hi"));
        assertThat(api.requests()).isEmpty();
        env.hook("claude-code", ev("s", "p1", "SessionEnd", "reason", "other"));
        assertThat(api.awaitTraces(1, Duration.ofSeconds(10))).hasSize(1);
    }

    @Test
    void previewLimitsComeFromTheEnvironment() throws Exception {
        env.with("CONNECTOR_MAX_INPUT_PREVIEW", "10").with("CONNECTOR_MAX_OUTPUT_PREVIEW", "5");
        env.hook("claude-code", ev("s", "p1", "UserPromptSubmit", "prompt", "a prompt longer than ten"));
        env.hook("claude-code", ev("s", "p1", "Stop", "last_assistant_message", "an answer longer than five"));
        var steps = api.awaitTraces(1, Duration.ofSeconds(10)).get(0).body().path("steps");
        assertThat(steps.get(0).path("input_preview").asText()).isEqualTo("a prompt …");
        assertThat(steps.get(1).path("output_preview").asText()).isEqualTo("an a…");
    }

    /**
     * status and cleanup are commands a person waits for: they queue a stale session's turn and
     * hand the sending to the detached worker, never talking to the API themselves (whose retries
     * sleep for seconds when it is down or hanging).
     */
    @Test
    void statusAndCleanupLeaveTheSendingToTheWorker() throws Exception {
        java.util.List<java.util.List<String>> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        env.with("CONNECTOR_SESSION_TTL", "60").handingDeliveryTo(started::add);
        api.delayNext(Duration.ofSeconds(60)); // a hanging API, were anything to ask it
        for (String command : java.util.List.of("status", "cleanup")) {
            String session = "quiet-" + command;
            env.hookWithoutFlush("claude-code", ev(session, "p1", "UserPromptSubmit", "prompt", "never stopped"));
            Path spool = env.dirs().sessions().resolve("claude-code/" + session + ".jsonl");
            Files.setLastModifiedTime(spool, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
            started.clear();

            TestEnv.Result r = env.run(tmp, command);

            assertThat(r.code()).as(r.toString()).isEqualTo(command.equals("status") ? 1 : 0); // status: nothing set up here
            assertThat(api.requests()).as(command + " sends nothing itself").isEmpty();
            assertThat(started).as(command + " starts the worker for the queued turn")
                    .containsExactly(java.util.List.of("flush", "--stale"));
        }
        assertThat(env.context().outbox().list()).hasSize(2);
        // With nothing due, no worker is started.
        started.clear();
        env.context().outbox().list().forEach(e -> {
            try {
                env.context().outbox().update(env.context().outbox().read(e.key()).orElseThrow()
                        .failed(ai.infinium.connector.export.OutboxEntry.PENDING, "down", 0, Long.MAX_VALUE));
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        assertThat(env.run(tmp, "status").code()).as("nothing set up here: not tracing").isEqualTo(1);
        assertThat(started).isEmpty();
    }

    @Test
    void aSessionThatNeverEndsIsFlushedAndRemovedOnceStale() throws Exception {
        env.with("CONNECTOR_SESSION_TTL", "60");
        env.hookWithoutFlush("claude-code", ev("quiet", "p1", "UserPromptSubmit", "prompt", "never stopped"));
        Path spool = env.dirs().sessions().resolve("claude-code/quiet.jsonl");
        assertThat(env.run(tmp, "cleanup").out()).contains("No stale sessions");
        Files.setLastModifiedTime(spool, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        TestEnv.Result r = env.run(tmp, "cleanup");
        assertThat(r.out()).contains("Flushed and removed 1 stale session");
        assertThat(api.awaitTraces(1, Duration.ofSeconds(10)).get(0).name()).isEqualTo("never stopped");
        assertThat(spool).doesNotExist();
    }

    @Test
    void aRejectedTraceIsShownByStatusAndNotRetried() throws Exception {
        env.with("INFINIUM_AGENT_SECRET", "wrong-secret-000");
        env.hook("claude-code", ev("s", "p1", "UserPromptSubmit", "prompt", "hello"));
        env.hook("claude-code", ev("s", "p1", "Stop", "last_assistant_message", "hi"));
        var status = JSON.readTree(env.run(tmp, "status", "--json").out());
        assertThat(status.path("rejected").asInt()).isEqualTo(1);
        assertThat(status.path("newest_error").asText()).contains("401");
        int before = api.requests().size();
        env.run(tmp, "retry");
        assertThat(api.requests()).hasSize(before);
    }
}
