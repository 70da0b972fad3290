package ai.infinium.connector.flush;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.Fixtures;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Codex CLI 0.169.0 sessions (captured hook payloads and rollouts) through hook, spool, flush
 * and sender. Expected usage is recomputed here from the rollout snapshots and checked against the
 * per-request figures Codex put in its PostModelRequest hooks.
 */
class CodexFixtureTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws IOException {
        api = FakeInfiniumApi.start("agent-codex", "secret-codex-1");
        env = new TestEnv(tmp).sendingTo(api);
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    void replay(String scenario) throws IOException {
        replay("codex-0.169.0", scenario);
    }

    void replay(String client, String scenario) throws IOException {
        RecordedSession s = Fixtures.codex(tmp, client, scenario);
        for (String f : s.eventFiles()) {
            env.hook("codex", s.payload(f, project));
        }
    }

    /** The user stops a turn: Codex's Interrupt ends it as a failed turn, and starts the flush itself. */
    @Test
    void anInterruptedTurnIsDeliveredAtOnceAsAFailedTurn() throws IOException {
        replay("codex-synthetic", "01-interrupt");
        List<ReceivedTrace> traces = api.traces();
        assertThat(traces).as("the Interrupt flushed the turn: no SessionEnd, no stale scan").hasSize(1);
        List<String> s = steps(traces.get(0));
        assertThat(s.get(0)).startsWith("user_prompt");
        assertThat(s).filteredOn(x -> x.startsWith("tool_use")).hasSize(3);
        assertThat(s.get(s.size() - 1)).isEqualTo("turn_failed | Turn failed: interrupted | ERROR Interrupted: Interrupted by the user");
        assertThat(traces.get(0).body().path("errors")).as("exit 3, the missing file, the interrupt").hasSize(3);
    }

    static List<String> steps(ReceivedTrace t) {
        return TraceSteps.of(t);
    }

    /** input, cached, output, calls of one turn: the rollout's snapshot deltas, computed independently. */
    long[] rolloutDelta(String turnId) throws IOException {
        long[] sum = new long[4];
        try (Stream<Path> files = Files.walk(tmp.resolve("codex-home"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
                String turn = null;
                long[] last = new long[4];
                for (String line : Files.readAllLines(p)) {
                    JsonNode d = JSON.readTree(line).path("payload");
                    if (d.path("type").asText().equals("task_started")) {
                        turn = d.path("turn_id").asText();
                    }
                    if (d.path("type").asText().equals("token_count") && d.path("info").isObject()) {
                        JsonNode t = d.path("info").path("total_token_usage");
                        long[] now = {t.path("input_tokens").asLong(), t.path("cached_input_tokens").asLong(),
                                t.path("output_tokens").asLong(), t.path("total_tokens").asLong()};
                        if (now[3] > last[3] && turnId.equals(turn)) {
                            sum[0] += now[0] - last[0];
                            sum[1] += now[1] - last[1];
                            sum[2] += now[2] - last[2];
                            sum[3]++;
                        }
                        last = now[3] > last[3] ? now : last;
                    }
                }
            }
        }
        return sum;
    }

    /** The same turn's usage as Codex reported it per request in PostModelRequest hooks. */
    long[] hookUsage(String scenario, String turnId) throws IOException {
        long[] sum = new long[4];
        RecordedSession s = Fixtures.codex(tmp, scenario);
        for (String f : s.eventFiles()) {
            JsonNode e = JSON.readTree(s.payload(f, project));
            if (e.path("hook_event_name").asText().equals("PostModelRequest") && e.path("token_usage").isObject()
                    && turnId.equals(e.path("turn_id").asText()) && !e.has("agent_id")) {
                JsonNode u = e.get("token_usage");
                sum[0] += u.path("input_tokens").asLong();
                sum[1] += u.path("cached_input_tokens").asLong();
                sum[2] += u.path("output_tokens").asLong();
                sum[3]++;
            }
        }
        return sum;
    }

    static void assertUsage(ReceivedTrace t, long[] expected) {
        JsonNode u = t.body().path("llm_usage");
        assertThat(new long[] {u.path("prompt_tokens").asLong(),
                t.body().path("environment").path("custom_tags").path("cached_input_tokens").asLong(),
                u.path("completion_tokens").asLong(), u.path("api_calls_count").asLong()})
                .as("input, cached, output, calls of %s", t.name()).containsExactly(expected);
        assertThat(u.path("total_tokens").asLong()).isEqualTo(expected[0] + expected[2]);
        assertThat(u.path("provider").asText()).isEqualTo("openai");
        assertThat(u.path("model").asText()).isEqualTo("gpt-fake");
    }

    @Test
    void execTurnWithOkAndFailingCommands() throws IOException {
        replay("01-exec-main");
        ReceivedTrace t = api.awaitTraces(1, Duration.ofSeconds(20)).get(0);
        assertThat(t.name()).isEqualTo("HARNESS-TURN1 run echo hello,…");
        assertThat(t.body().path("description").asText())
                .isEqualTo("HARNESS-TURN1 run echo hello, then a failing command, then cat a missing file.");
        assertThat(steps(t)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-TURN1 run echo hello, then a failing command, then cat a missing file.",
                "tool_use | Tool: Bash | in=echo hello | out=hello",
                "tool_use | Tool: Bash | in=exit 3 | out=Command failed with exit code 3 | ERROR ToolError: Command failed with exit code 3",
                "tool_use | Tool: Bash | in=cat does-not-exist.txt | out=cat: does-not-exist.txt: No such file or directory | ERROR ToolError: Command failed with exit code 1",
                "assistant_response | Assistant response | out=All done: echo worked, exit 3 failed and the file was missing.");
        for (JsonNode s : t.body().path("steps")) {
            assertThat(s.path("timestamp").asText()).as("injected arrival time").matches("\\d{4}-.*\\.\\d{3}Z");
        }
        assertThat(t.body().path("errors")).hasSize(2);
        assertThat(t.body().path("errors").get(0).path("step_number").asInt()).isEqualTo(3);
        assertThat(t.body().path("errors").get(0).path("recoverable").asBoolean()).isTrue();
        JsonNode env1 = t.body().path("environment");
        assertThat(env1.path("framework").asText()).isEqualTo("codex-cli");
        assertThat(env1.path("model").asText()).isEqualTo("gpt-fake");
        assertThat(env1.path("session_source").asText()).isEqualTo("startup");
        assertThat(env1.path("permission_mode").asText()).isEqualTo("bypassPermissions");
        long[] expected = rolloutDelta("01a2008c-72a8-7950-89f7-6ed0e9dcb5b0");
        assertThat(expected).containsExactly(hookUsage("01-exec-main", "01a2008c-72a8-7950-89f7-6ed0e9dcb5b0"));
        assertThat(expected[3]).isEqualTo(4);
        assertUsage(t, expected);
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void resumedTurnCountsOnlyItsOwnDelta() throws IOException {
        replay("01-exec-main");
        api.awaitTraces(1, Duration.ofSeconds(20));
        replay("02-exec-resume");
        List<ReceivedTrace> traces = api.awaitTraces(2, Duration.ofSeconds(20));
        ReceivedTrace second = traces.get(1);
        assertThat(second.name()).startsWith("HARNESS-TURN2");
        assertThat(second.body().path("environment").path("session_source").asText()).isEqualTo("resume");
        long[] expected = rolloutDelta("01a2008c-7a46-7e73-8232-3855e9080ff6");
        assertThat(expected).containsExactly(hookUsage("02-exec-resume", "01a2008c-7a46-7e73-8232-3855e9080ff6"));
        assertUsage(second, expected);
        assertThat(traces.get(0).idempotencyKey()).isNotEqualTo(second.idempotencyKey());
        assertThat(api.traces()).hasSize(2);
    }

    @Test
    void subagentStepsAndUsageFoldIntoTheParentTurn() throws IOException {
        replay("03-subagent");
        ReceivedTrace t = api.awaitTraces(1, Duration.ofSeconds(20)).get(0);
        List<String> s = steps(t);
        assertThat(s).hasSize(6);
        assertThat(s.get(0)).startsWith("user_prompt | User prompt | in=HARNESS-SUBAGENT-SPAWN");
        assertThat(s.get(1)).startsWith("tool_use | Tool: spawn_agent | in=");
        assertThat(s.get(2)).isEqualTo("subagent | Subagent: default | out=Subagent result: from-subagent");
        assertThat(s.get(3)).startsWith("tool_use | Tool: multi_agent_v1wait_agent");
        assertThat(s.get(4)).isEqualTo("tool_use | Tool: Bash (in subagent) | in=echo from-subagent | out=from-subagent");
        assertThat(s.get(5)).isEqualTo("assistant_response | Assistant response | out=The subagent finished.");
        assertThat(t.body().path("steps").get(4).path("agent_id").asText()).isEqualTo("01a2008c-8137-7030-b57d-03dca97a03a0");
        long[] main = rolloutDelta("01a2008c-806d-7552-a0a8-8deddc0282cf");
        long[] sub = rolloutDelta("01a2008c-813c-7452-a30f-75f1388919e0");
        assertThat(sub[3]).isEqualTo(2);
        assertUsage(t, new long[] {main[0] + sub[0], main[1] + sub[1], main[2] + sub[2], main[3] + sub[3]});
        assertThat(t.body().path("environment").path("custom_tags").path("subagent_api_calls").asInt()).isEqualTo(2);
        assertThat(api.traces()).as("the subagent's own prompt is not a turn").hasSize(1);
    }

    /**
     * A Codex 0.128 session (synthesised in its rollout's shapes) whose test run outlives its
     * call: exec_command returns "Process running with session ID 1234", write_stdin polls it
     * twice, and the exit code arrives in exec_command_end under the original call id, the text
     * "Process exited with code 1" under the last poll's.
     */
    @Test
    void aLongRunningCommandThatFailsIsAFailedStepWithItsExitCode() throws IOException {
        replay("codex-0.128.0", "01-long-running-failure");
        ReceivedTrace t = api.awaitTraces(1, Duration.ofSeconds(20)).get(0);
        assertThat(steps(t)).containsExactly(
                "user_prompt | User prompt | in=run the test suite and tell me what fails",
                "tool_use | Tool: Bash | in=git status --short | out=M src/app.js",
                "tool_use | Tool: Bash | in=npm test | out=> app@1.0.0 test\n> jest | ERROR ToolError: Command failed with exit code 1",
                "assistant_response | Assistant response | out=One test fails: adds numbers in src/app.test.js.");
        JsonNode errors = t.body().path("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path("step_number").asInt()).isEqualTo(3);
        assertThat(errors.get(0).path("error_type").asText()).isEqualTo("ToolError");
        assertThat(errors.get(0).path("message").asText()).isEqualTo("Command failed with exit code 1");
        assertThat(t.body().path("llm_usage").path("api_calls_count").asInt()).isEqualTo(5);
    }

    @Test
    void anApiFailureWithoutStopStillProducesATraceWithTheError() throws IOException {
        replay("06-api-error");
        ReceivedTrace t = api.awaitTraces(1, Duration.ofSeconds(20)).get(0);
        assertThat(steps(t)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-APIERROR make the API fail",
                "turn_failed | Turn failed: model request failed | ERROR APIError: The model request failed: fake server: injected failure");
        assertThat(t.body().path("errors")).hasSize(1);
        assertThat(t.body().path("errors").get(0).path("step_number").asInt()).isEqualTo(2);
        assertThat(t.body().path("llm_usage").path("api_calls_count").asInt()).isZero();
    }
}
