package ai.infinium.connector.flush;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.spool.SessionFiles;
import ai.infinium.connector.testing.ClaudeSessionScript;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TraceSteps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A flush reads the spool and the transcripts from where the previous one stopped: proven by
 * rewriting what the first flush had read (a reading of the whole files would now see another
 * turn and another API response) and showing the second trace does not change. A state without
 * offsets, or a transcript that was cut or replaced, is read whole, and still nothing is sent or
 * counted twice.
 */
class IncrementalFlushTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    ClaudeSessionScript s;

    @BeforeEach
    void setUp() throws IOException {
        api = FakeInfiniumApi.start("agent-inc", "secret-inc-1");
        env = new TestEnv(tmp).sendingTo(api);
        s = new ClaudeSessionScript(env, tmp.resolve("claude"), "sess-inc",
                Files.createDirectories(tmp.resolve("project")));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    /** Turn 1: a prompt, a Bash call, two API responses, then a line usage ignores, then Stop. */
    void turnOne() throws IOException {
        s.userLine(s.transcript, "p1", "first prompt");
        s.hook("p1", "UserPromptSubmit", "prompt", "first prompt");
        s.assistant(s.transcript, "msg_1a", 100, 1000, 10, "running echo");
        s.hook("p1", "PreToolUse", "tool_name", "Bash", "tool_use_id", "t1");
        s.hook("p1", "PostToolUse", "tool_name", "Bash", "tool_use_id", "t1", "tool_response", "hello");
        s.assistant(s.transcript, "msg_1b", 200, 2000, 20, "answer one");
        s.filler(s.transcript, 600);
        // The padding keeps the PostToolUse line out of the bytes the spool cursor checksums.
        s.hook("p1", "Stop", "last_assistant_message", "answer one", "pad", "x".repeat(300));
    }

    void turnTwo() throws IOException {
        s.userLine(s.transcript, "p2", "second prompt");
        s.hook("p2", "UserPromptSubmit", "prompt", "second prompt");
        s.assistant(s.transcript, "msg_2a", 300, 3000, 30, "answer two");
        s.hook("p2", "Stop", "last_assistant_message", "answer two");
    }

    static void assertUsage(ReceivedTrace t, long prompt, long completion, int calls) {
        JsonNode u = t.body().path("llm_usage");
        assertThat(u.path("prompt_tokens").asLong()).as("prompt tokens of %s", t.name()).isEqualTo(prompt);
        assertThat(u.path("completion_tokens").asLong()).as("completion tokens of %s", t.name()).isEqualTo(completion);
        assertThat(u.path("api_calls_count").asInt()).as("API calls of %s", t.name()).isEqualTo(calls);
    }

    static void assertSecondTurn(ReceivedTrace t) {
        assertThat(TraceSteps.of(t)).containsExactly(
                "user_prompt | User prompt | in=second prompt",
                "assistant_response | Assistant response | out=answer two");
        assertThat(t.body().path("environment").path("custom_tags").path("turn_index").asInt()).isEqualTo(2);
        assertUsage(t, 3300, 30, 1);
    }

    /** What an earlier version's state holds: no spool or transcript offsets. */
    void forgetOffsets() throws IOException {
        ObjectNode state = (ObjectNode) JSON.readTree(s.state().toFile());
        assertThat(state.has("spool_resume")).as("the flush saved a spool offset").isTrue();
        state.remove("spool_resume");
        state.remove("usage_cursors");
        Files.writeString(s.state(), JSON.writeValueAsString(state));
    }

    @Test
    void theSecondFlushReadsOnlyWhatTheFirstDidNotRead() throws IOException {
        turnOne();
        assertUsage(api.awaitTraces(1, Duration.ofSeconds(10)).get(0), 3300, 30, 2);
        // Rewrite what the first flush read, keeping every size: in the spool the PostToolUse now
        // names a turn "q1" nobody has seen; in the transcript the first response has a new id.
        ClaudeSessionScript.rewriteSameLength(s.spool(), "PostToolUse", "\"prompt_id\":\"p1\"", "\"prompt_id\":\"q1\"");
        ClaudeSessionScript.rewriteSameLength(s.transcript, "msg_1a", "msg_1a", "msg_1z");

        turnTwo();
        List<ReceivedTrace> traces = api.traces();
        assertThat(traces).as("no trace for the rewritten turn q1").hasSize(2);
        assertSecondTurn(traces.get(1));

        // The control: a full read of the same files does see the rewrites (a turn q1 carrying
        // the "new" response msg_1z), so the second flush above cannot have read them.
        forgetOffsets();
        assertThat(env.run(tmp, "flush", "--session-file", s.spool().toString(), "--reason", "turn-end").code())
                .isZero();
        assertThat(api.traces()).hasSize(3);
        assertUsage(api.traces().get(2), 1100, 10, 1);
    }

    @Test
    void aStateWithoutOffsetsIsReadWholeWithoutSendingOrCountingTwice() throws IOException {
        turnOne();
        api.awaitTraces(1, Duration.ofSeconds(10));
        forgetOffsets();

        turnTwo();
        assertThat(api.traces()).hasSize(2);
        assertSecondTurn(api.traces().get(1));
        JsonNode resume = JSON.readTree(s.state().toFile()).path("spool_resume");
        assertThat(resume.path("offset").asLong()).as("offsets saved again, at the end of the spool")
                .isEqualTo(Files.size(s.spool()));
        assertThat(resume.path("line").asInt()).isEqualTo(Files.readAllLines(s.spool()).size());
    }

    @Test
    void aTranscriptShorterThanItsOffsetIsReadWhole() throws IOException {
        turnOne();
        api.awaitTraces(1, Duration.ofSeconds(10));
        // The transcript loses its last line: it is now shorter than where the flush stopped.
        List<String> lines = Files.readAllLines(s.transcript);
        Files.write(s.transcript, lines.subList(0, lines.size() - 1));

        turnTwo();
        assertThat(api.traces()).hasSize(2);
        assertSecondTurn(api.traces().get(1)); // msg_1a and msg_1b read again, counted once
    }

    @Test
    void aReplacedTranscriptIsReadWholeEvenWhenItIsLongerThanItsOffset() throws IOException {
        turnOne();
        api.awaitTraces(1, Duration.ofSeconds(10));
        long offset = Files.size(s.transcript);
        // Claude Code rewrote the file: the same turn-1 lines with a shorter attachment, then
        // turn 2. The old offset now falls in the middle of msg_2a's line, which a reader trusting
        // the offset would skip as a partial line.
        Path probe = tmp.resolve("probe.jsonl");
        ClaudeSessionScript probeScript = new ClaudeSessionScript(env, tmp.resolve("probe"), "p", tmp);
        probeScript.userLine(probe, "p2", "second prompt");
        long userLine = Files.size(probe);
        probeScript.assistant(probe, "msg_2a", 300, 3000, 30, "answer two");
        long assistantLine = Files.size(probe) - userLine;
        int cut = (int) (userLine + assistantLine / 2);
        String text = Files.readString(s.transcript, StandardCharsets.UTF_8);
        Files.writeString(s.transcript, text.replaceFirst("f{" + cut + "}", ""));

        turnTwo();
        assertThat(Files.size(s.transcript)).as("longer than the offset").isGreaterThan(offset);
        assertThat(api.traces()).hasSize(2);
        assertSecondTurn(api.traces().get(1));
    }

    @Test
    void aBackgroundSubagentFinishingAfterTheOffsetIsPairedWithItsStartAndCountedOnce() throws IOException {
        Path sub = s.subagentTranscript("a1");
        s.userLine(s.transcript, "p1", "first prompt");
        s.hook("p1", "UserPromptSubmit", "prompt", "first prompt");
        s.assistant(s.transcript, "msg_1a", 100, 1000, 10, "delegating");
        s.hook("p1", "PreToolUse", "tool_name", "Agent", "tool_use_id", "t1");
        s.hook("p1", "SubagentStart", "agent_id", "a1", "agent_type", "general-purpose");
        s.userLine(sub, "p1", "the subagent's task");
        s.assistant(sub, "msg_s1", 10, 100, 1, "working");
        s.hook("p1", "PostToolUse", "tool_name", "Agent", "tool_use_id", "t1", "tool_response", "launched");
        s.assistant(s.transcript, "msg_1b", 200, 2000, 20, "answer one");
        s.hook("p1", "Stop", "last_assistant_message", "answer one");
        ReceivedTrace first = api.awaitTraces(1, Duration.ofSeconds(10)).get(0);
        assertThat(TraceSteps.of(first)).contains("subagent | Subagent: general-purpose | unfinished");
        assertUsage(first, 3300 + 110, 31, 3);

        // After the flush: the subagent makes one more API call, then finishes.
        s.assistant(sub, "msg_s2", 20, 200, 2, "sub done");
        s.hook("p1", "SubagentStop", "agent_id", "a1", "agent_type", "general-purpose",
                "agent_transcript_path", sub.toString(), "last_assistant_message", "sub done");
        turnTwo();

        List<ReceivedTrace> traces = api.traces();
        assertThat(traces).hasSize(2);
        ReceivedTrace second = traces.get(1);
        assertThat(TraceSteps.of(second)).containsExactly(
                "subagent | Subagent: general-purpose | out=sub done",
                "user_prompt | User prompt | in=second prompt",
                "assistant_response | Assistant response | out=answer two");
        JsonNode tags = second.body().path("environment").path("custom_tags");
        assertThat(tags.path("late_events").asInt()).isEqualTo(1);
        assertThat(second.body().path("steps").get(0).path("timestamp").asText())
                .as("the late SubagentStop is paired with its SubagentStart, read before the offset")
                .isEqualTo(TraceSteps.stepTimestamp(first, "subagent"));
        assertUsage(second, 3300 + 220, 32, 2); // msg_2a and the subagent's late msg_s2
        assertThat(tags.path("subagent_api_calls").asInt()).isEqualTo(1);
    }

    @Test
    void aTurnEndLandingAfterTheSessionEndFlushTravelsAsALateEventOfTheEndedSession() throws IOException {
        turnOne();
        api.awaitTraces(1, Duration.ofSeconds(10));
        s.userLine(s.transcript, "p2", "second prompt");
        s.hook("p2", "UserPromptSubmit", "prompt", "second prompt");
        // The agent exits after an API error: SessionEnd lands first and its flush gives up
        // waiting for the turn's end; StopFailure lands after it, beyond that flush's offset.
        s.hook("p2", "SessionEnd", "reason", "other");
        s.hook("p2", "StopFailure", "error", "unknown", "last_assistant_message", "API Error: 400 injected");

        List<ReceivedTrace> traces = api.traces();
        assertThat(traces).hasSize(3);
        assertThat(TraceSteps.of(traces.get(1))).containsExactly("user_prompt | User prompt | in=second prompt");
        ReceivedTrace late = traces.get(2);
        assertThat(late.name()).isEqualTo("Claude Code: background work finished after its turn");
        assertThat(TraceSteps.of(late)).containsExactly("turn_failed | Turn failed: API Error: 400 injected | out=API Error: 400 injected"
                + " | ERROR APIError: API Error: 400 injected");
        assertThat(late.body().path("environment").path("custom_tags").path("late_events").asInt()).isEqualTo(1);
        for (ReceivedTrace failed : List.of(traces.get(1), late)) {
            assertThat(failed.body().path("llm_usage").path("model").asText())
                    .as("a failed turn counts no response, yet keeps the session's model").isEqualTo("claude-opus-5-5");
        }
    }

    @Test
    void oneWorkerFlushesSessionsFromSeveralThreadsAtOnce() throws Exception {
        int sessions = 6;
        List<SessionFiles> files = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ClaudeSessionScript one = new ClaudeSessionScript(env, tmp.resolve("claude"), "par-" + i,
                    tmp.resolve("project"));
            for (int turn = 1; turn <= 2; turn++) {
                String p = "s" + i + "p" + turn;
                one.userLine(one.transcript, p, "prompt " + p);
                one.hookWithoutFlush(p, "UserPromptSubmit", "prompt", "prompt " + p);
                one.assistant(one.transcript, "msg_" + p, 10 * i, 100, turn, "answer " + p);
                one.hookWithoutFlush(p, "Stop", "last_assistant_message", "answer " + p);
            }
            files.add(new SessionFiles(one.spool()));
        }
        FlushWorker worker = new FlushWorker(env.context());
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        try {
            List<Future<List<String>>> queued = new ArrayList<>();
            for (SessionFiles f : files) {
                queued.add(pool.submit(() -> worker.queue(f, FlushReason.TURN_END)));
            }
            for (Future<List<String>> q : queued) {
                assertThat(q.get(30, TimeUnit.SECONDS)).hasSize(2);
            }
        } finally {
            pool.shutdownNow();
        }
        worker.deliverDue();

        assertThat(api.traces()).hasSize(2 * sessions);
        for (ReceivedTrace t : api.traces()) {
            String p = t.name().substring("prompt ".length());
            assertThat(TraceSteps.of(t)).containsExactly("user_prompt | User prompt | in=prompt " + p,
                    "assistant_response | Assistant response | out=answer " + p);
            int session = Integer.parseInt(p.substring(1, p.indexOf('p')));
            assertUsage(t, 10L * session + 100, Long.parseLong(p.substring(p.length() - 1)), 1);
        }
    }
}
