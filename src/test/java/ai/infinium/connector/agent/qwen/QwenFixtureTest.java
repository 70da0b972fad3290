package ai.infinium.connector.agent.qwen;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TraceSteps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Qwen Code 0.24.4 sessions (captured hook payloads and chat transcripts) through hook,
 * spool, flush and sender. Only the events the installer hooks are replayed, as a real install
 * would receive them. Expected usage is recomputed here from the transcript's own telemetry lines
 * ({@code qwen-code.api_response}), not from the assistant lines the connector reads.
 */
class QwenFixtureTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CLIENT = "qwen-code-0.24.4";
    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws IOException {
        api = FakeInfiniumApi.start("agent-qwen", "secret-qwen-1");
        env = new TestEnv(tmp).sendingTo(api);
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    RecordedSession session(String scenario) throws IOException {
        RecordedSession s = new RecordedSession("/fixtures/" + CLIENT + "/" + scenario + "/", tmp.resolve("qwen-home"),
                "/tmp/harness-qwen/home/.qwen");
        s.installTranscripts();
        return s;
    }

    void replay(String scenario) throws IOException {
        RecordedSession s = session(scenario);
        for (String f : s.eventFiles()) {
            env.hook(Qwen.NAME, s.payload(f, project));
        }
    }

    Path chats(String sessionId) {
        return tmp.resolve("qwen-home/projects/-tmp-harness-qwen-proj/chats/" + sessionId + ".jsonl");
    }

    /** input, cached, output, calls of one turn from the api_response telemetry. */
    long[] telemetryUsage(String sessionId, String promptId) throws IOException {
        long[] sum = new long[4];
        for (String line : Files.readAllLines(chats(sessionId))) {
            JsonNode ev = JSON.readTree(line).path("systemPayload").path("uiEvent");
            if (ev.path("event.name").asText().equals("qwen-code.api_response")
                    && ev.path("prompt_id").asText().equals(promptId)) {
                sum[0] += ev.path("input_token_count").asLong();
                sum[1] += ev.path("cached_content_token_count").asLong();
                sum[2] += ev.path("output_token_count").asLong();
                sum[3]++;
            }
        }
        return sum;
    }

    @Test
    void oneTurnWithAnOkCommandAFailingOneAndAFileRead() throws IOException {
        replay("01-main");
        List<ReceivedTrace> traces = api.awaitTraces(1, Duration.ofSeconds(20));
        assertThat(traces).as("Stop flushed the turn: one trace").hasSize(1);
        ReceivedTrace t = traces.get(0);
        assertThat(TraceSteps.of(t)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-QWEN-TURN1 run echo hello, then a failing command, then read README.md.",
                "tool_use | Tool: run_shell_command — harness: echo hello | in=echo hello | out=hello",
                "tool_use | Tool: run_shell_command — harness: exit 3 | in=echo harness-fail >&2; exit 3 | out=Command: echo harness-fail >&2; exit 3\nDirectory: (root)\nOutput: harness-fail\nError: (none)\nExit Code: 3\nSignal: (none)\nProcess Group PGID: (none) | ERROR ToolError: Command failed with exit code 3",
                "tool_use | Tool: read_file | in=/tmp/harness-qwen/proj/README.md | out=# Harness project\nA file for the read_file tool to read.",
                "assistant_response | Assistant response | out=All done: echo worked, exit 3 failed and the file was read.");
        assertThat(t.body().path("errors")).as("the failing command is the only error").hasSize(1);
        JsonNode env = t.body().path("environment");
        assertThat(env.path("framework").asText()).isEqualTo("qwen-code");
        assertThat(env.path("session_id").asText()).isEqualTo("ff977618-b6e4-4f92-aaff-fa493eb320b9");
        long[] expected = telemetryUsage("ff977618-b6e4-4f92-aaff-fa493eb320b9",
                "ff977618-b6e4-4f92-aaff-fa493eb320b9########0");
        assertThat(expected).as("Qwen's own session usage record: 4 requests, 79472 in, 320 out")
                .containsExactly(79472, 59603, 320, 4);
        JsonNode u = t.body().path("llm_usage");
        assertThat(new long[] {u.path("prompt_tokens").asLong(), env.path("custom_tags").path("cached_input_tokens").asLong(),
                u.path("completion_tokens").asLong(), u.path("api_calls_count").asLong()}).containsExactly(expected);
        assertThat(u.path("total_tokens").asLong()).isEqualTo(expected[0] + expected[2]);
        assertThat(u.path("model").asText()).isEqualTo("fake-model");
        assertThat(u.path("provider").asText()).as("the transcript's auth_type").isEqualTo("openai");
    }

    @Test
    void theEmptyPromptQwenRepeatsAfterEachToolBatchIsNoTurn() throws IOException {
        replay("01-main");
        ReceivedTrace t = api.awaitTraces(1, Duration.ofSeconds(20)).get(0);
        assertThat(TraceSteps.of(t)).filteredOn(s -> s.startsWith("user_prompt")).hasSize(1);
        // A stale scan later finds nothing more to send: the repeats opened no turn of their own.
        env.with("CONNECTOR_SESSION_TTL", "0");
        assertThat(env.run(project, "flush", "--stale").code()).isZero();
        assertThat(api.traces()).hasSize(1);
        assertThat(spools()).as("headless Qwen fires no SessionEnd: the stale rule closed the session").isEmpty();
    }

    List<Path> spools() throws IOException {
        Path dir = tmp.resolve("sessions").resolve(Qwen.NAME);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jsonl")).toList();
        }
    }

    /**
     * The user runs {@code qwen --continue} after a turn the API failed: that turn had no end, and
     * the next turn's Stop sends it too, with the error from the transcript, before its own.
     */
    @Test
    void anApiErrorTurnFollowedByAnotherGoesOutWhenTheNextOneEnds() throws IOException {
        RecordedSession s = session("03-api-error");
        for (String f : s.eventFiles()) {
            env.hook(Qwen.NAME, s.payload(f, project));
        }
        com.fasterxml.jackson.databind.node.ObjectNode prompt =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(s.payload("04-UserPromptSubmit.json", project));
        String next = prompt.path("session_id").asText() + "########1";
        prompt.put("prompt_id", next).put("prompt", "HARNESS-NEXT try again").put("submitted_prompt", "HARNESS-NEXT try again");
        env.hook(Qwen.NAME, JSON.writeValueAsBytes(prompt));
        com.fasterxml.jackson.databind.node.ObjectNode stop = prompt.deepCopy();
        stop.remove(List.of("prompt", "submitted_prompt"));
        stop.put("hook_event_name", "Stop").put("last_assistant_message", "Worked this time.");
        env.hook(Qwen.NAME, JSON.writeValueAsBytes(stop));

        List<ReceivedTrace> traces = api.awaitTraces(2, Duration.ofSeconds(20));
        assertThat(traces).hasSize(2);
        assertThat(TraceSteps.of(traces.get(0))).containsExactly(
                "user_prompt | User prompt | in=HARNESS-APIERROR make the API fail",
                "turn_failed | Turn failed: BadRequestError [recovered from chats] | ERROR APIError: API error: 400 fake server: injected failure (HTTP 400)");
        assertThat(TraceSteps.of(traces.get(1))).containsExactly(
                "user_prompt | User prompt | in=HARNESS-NEXT try again",
                "assistant_response | Assistant response | out=Worked this time.");
        env.with("CONNECTOR_SESSION_TTL", "0");
        assertThat(env.run(project, "flush", "--stale").code()).isZero();
        assertThat(api.traces()).as("each turn once").hasSize(2);
    }

    @Test
    void anApiErrorTurnGoesOutOnceWhenTheSessionIsStaleWithTheErrorQwenRecorded() throws IOException {
        replay("03-api-error");
        assertThat(api.traces()).as("no hook ends the turn: nothing is sent yet").isEmpty();
        env.with("CONNECTOR_SESSION_TTL", "0");
        assertThat(env.run(project, "flush", "--stale").code()).isZero();
        List<ReceivedTrace> traces = api.awaitTraces(1, Duration.ofSeconds(20));
        assertThat(traces).hasSize(1);
        ReceivedTrace t = traces.get(0);
        assertThat(TraceSteps.of(t)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-APIERROR make the API fail",
                "turn_failed | Turn failed: BadRequestError [recovered from chats] | ERROR APIError: API error: 400 fake server: injected failure (HTTP 400)");
        assertThat(t.body().path("llm_usage").path("api_calls_count").asLong()).isZero();
        assertThat(env.run(project, "flush", "--stale").code()).isZero();
        assertThat(api.traces()).as("never twice").hasSize(1);
    }
}
