package ai.infinium.connector.flush;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.Fixtures;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TraceSteps;
import ai.infinium.connector.testing.TranscriptTotals;
import ai.infinium.connector.testing.TranscriptTotals.Totals;
import com.fasterxml.jackson.databind.JsonNode;
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
 * Real Claude Code 2.1.330 sessions (captured hook payloads and transcripts) replayed through the
 * hook, spool, flush and sender, flushing exactly where the real hooks would, into the loopback
 * stand-in for the API. Expected token totals come from the transcripts, computed in the test.
 */
class ClaudeFixtureTest {
    static final String AGENT = "agent-fixture";
    static final String SECRET = "secret-fixture-123";

    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws IOException {
        api = FakeInfiniumApi.start(AGENT, SECRET);
        env = new TestEnv(tmp).sendingTo(api);
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    List<ReceivedTrace> replay(String scenario, int expectedTraces) throws IOException {
        RecordedSession s = Fixtures.claudeCode(tmp, scenario);
        for (String f : s.eventFiles()) {
            env.hook("claude-code", s.payload(f, project));
        }
        List<ReceivedTrace> traces = api.awaitTraces(expectedTraces, Duration.ofSeconds(20));
        assertThat(api.traces()).as("no trace beyond the expected ones").hasSize(expectedTraces);
        return traces;
    }

    TranscriptTotals totals() throws IOException {
        try (Stream<Path> files = Files.walk(tmp.resolve("claude"))) {
            return TranscriptTotals.of(files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList());
        }
    }

    static List<String> steps(ReceivedTrace t) {
        return TraceSteps.of(t);
    }

    static void assertUsage(ReceivedTrace t, Totals expected) {
        assertUsage(t, expected, "claude-opus-5-5");
    }

    static void assertUsage(ReceivedTrace t, Totals expected, String model) {
        JsonNode u = t.body().path("llm_usage");
        assertThat(u.path("prompt_tokens").asLong()).as("prompt tokens of %s", t.name()).isEqualTo(expected.prompt());
        assertThat(u.path("completion_tokens").asLong()).as("completion tokens").isEqualTo(expected.completion());
        assertThat(u.path("total_tokens").asLong()).isEqualTo(expected.prompt() + expected.completion());
        assertThat(u.path("api_calls_count").asInt()).as("API calls").isEqualTo(expected.calls());
        assertThat(u.path("provider").asText()).isEqualTo("anthropic");
        assertThat(u.path("model").asText()).isEqualTo(model);
    }

    /** A project in a git work tree: each trace says which branch and commit the turn ran on. */
    @Test
    void tracesCarryTheWorkTreesBranchAndCommit() throws Exception {
        Files.createDirectories(project.resolve(".git/refs/heads"));
        Files.writeString(project.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(project.resolve(".git/refs/heads/main"), "0123456789abcdef0123456789abcdef01234567\n");
        List<ReceivedTrace> traces = replay("02-main", 2);
        assertThat(traces).allSatisfy(t -> {
            JsonNode tags = t.body().path("environment").path("custom_tags");
            assertThat(tags.path("git_branch").asText()).isEqualTo("main");
            assertThat(tags.path("git_commit").asText()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        });
    }

    /**
     * Leaving an interactive session (/exit, Ctrl-C twice, /clear) fires SessionEnd under a fresh
     * prompt_id that no UserPromptSubmit opened: it ends the session, it is no turn of its own.
     */
    @Test
    void anInteractiveExitSendsNoEmptyTrace() throws Exception {
        RecordedSession s = Fixtures.claudeCode(tmp, "02-main");
        for (String f : s.eventFiles()) {
            byte[] payload = s.payload(f, project);
            if (f.endsWith("-SessionEnd.json")) {
                com.fasterxml.jackson.databind.node.ObjectNode e = (com.fasterxml.jackson.databind.node.ObjectNode)
                        new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload);
                e.put("prompt_id", "0b7c4e2a-1111-4222-8333-944455556666").put("reason", "prompt_input_exit");
                payload = e.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            env.hook("claude-code", payload);
        }
        env.awaitDeliveriesDone(Duration.ofSeconds(30));
        assertThat(api.traces()).as("the session's two turns, nothing for the exit").hasSize(2);
        assertThat(api.traces()).allSatisfy(t -> assertThat(t.body().path("steps")).isNotEmpty());
    }

    @Test
    void mainScenarioGivesOneTracePerTurnAndTheBackgroundSubagentLandsInTheNextOne() throws IOException {
        List<ReceivedTrace> traces = replay("02-main", 2);
        ReceivedTrace first = traces.get(0);
        ReceivedTrace second = traces.get(1);

        assertThat(first.name()).isEqualTo("HARNESS-TURN1 Please run echo…");
        assertThat(first.body().path("description").asText()).startsWith("HARNESS-TURN1 Please run echo hello")
                .endsWith("delegate to a subagent.");
        assertThat(steps(first)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-TURN1 Please run echo hello, then a failing command, read a missing file, then delegate to a subagent.",
                "tool_use | Tool: Bash — Print hello | in=echo hello | out=hello",
                "tool_use | Tool: Bash — Fail on purpose | in=exit 3 | out=Exit code 3 | ERROR ToolError: Exit code 3",
                "tool_use | Tool: Read | in=/tmp/does-not-exist.txt | out=File does not exist. Note: your current working directory is /tmp/harness-claude/proj. | ERROR ToolError: File does not exist. Note: your current working directory is /tmp/harness-claude/proj.",
                "tool_use | Tool: Agent | in=Subagent probe: HARNESS-SUBAGENT: run `echo from-subagent` and report. | out=Subagent started in the background (ad215836758dd5315)",
                "subagent | Subagent: general-purpose | unfinished",
                "tool_use | Tool: Bash (in subagent) — Subagent echo | in=echo from-subagent | out=from-subagent",
                "assistant_response | Assistant response | out=All done: echo worked, exit 3 failed, the file was missing, and the subagent reported back.");
        JsonNode errors = first.body().path("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).path("step_number").asInt()).isEqualTo(3);
        assertThat(errors.get(0).path("message").asText()).isEqualTo("Exit code 3");
        assertThat(errors.get(0).path("recoverable").asBoolean()).isTrue();
        assertThat(errors.get(1).path("step_number").asInt()).isEqualTo(4);
        assertThat(first.body().path("steps").get(2).path("duration_ms").asLong()).as("duration from the payload")
                .isEqualTo(25);
        assertThat(first.body().path("steps").get(6).path("agent_id").asText()).isEqualTo("ad215836758dd5315");
        assertThat(first.body().path("output_summary").asText()).startsWith("All done");

        // The subagent finished after the turn's Stop: its SubagentStop arrives in the next trace.
        assertThat(steps(second)).containsExactly(
                "subagent | Subagent: general-purpose | out=Subagent result: from-subagent",
                // Claude Code's own prompt for the finished task: shown as the task's result, not as XML.
                "background_task_result | Background task finished: Agent \"Subagent probe\" finished"
                        + " | in=Subagent result: from-subagent",
                "assistant_response | Assistant response | out=Summary: the harness ran echo hello, a failing exit 3, a missing-file Read and a subagent.");
        assertThat(second.body().path("environment").path("custom_tags").path("late_events").asInt()).isEqualTo(1);
        assertThat(second.name()).isEqualTo("Background task finished: Agent \"Subagent probe\" finished");
        assertThat(second.body().path("description").asText())
                .isEqualTo("Background task finished: Agent \"Subagent probe\" finished\n\nSubagent result: from-subagent");
        assertThat(second.body().path("input_summary").asText()).isEqualTo("Subagent result: from-subagent");

        TranscriptTotals totals = totals();
        Totals turn1 = totals.forPrompt("fab966ef-f37d-4d41-9303-fa7d131cc9a0");
        Totals turn2 = totals.forPrompt("803de21c-2c97-47fd-b5a4-d63ad4b0f6cd");
        assertThat(turn1.calls()).as("5 main + 2 subagent responses").isEqualTo(7);
        assertUsage(first, turn1);
        assertUsage(second, turn2);

        JsonNode env1 = first.body().path("environment");
        assertThat(env1.path("framework").asText()).isEqualTo("claude-code");
        assertThat(env1.path("session_id").asText()).isEqualTo("a5fa86a9-0b94-429b-8a50-3701b0c4ba7d");
        assertThat(env1.path("working_directory").asText()).isEqualTo(project.toString());
        assertThat(env1.path("permission_mode").asText()).isEqualTo("bypassPermissions");
        assertThat(env1.path("session_source").asText()).isEqualTo("startup");
        assertThat(env1.path("custom_tags").path("turn_index").asInt()).isEqualTo(1);
        assertThat(env1.path("custom_tags").path("cache_read_input_tokens").asLong()).isPositive();

        assertThat(first.idempotencyKey()).isNotBlank().isNotEqualTo(second.idempotencyKey());
        assertThat(first.idempotencyKey()).isEqualTo(env1.path("custom_tags").path("trace_key").asText());
        assertThat(first.header("x-agent-id")).isEqualTo(AGENT);
        assertThat(first.header("x-agent-key")).isEqualTo(SECRET);
        assertThat(first.header("user-agent")).startsWith("infinium-java-connector/");
    }

    @Test
    void continuedSessionCountsOnlyItsOwnTurnsUsage() throws IOException {
        List<ReceivedTrace> traces = replay("03-continue", 1);
        ReceivedTrace t = traces.get(0);
        assertThat(steps(t)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-TURN2 second prompt: echo, cd, and write a file.",
                "tool_use | Tool: Bash — Second turn command | in=echo second-turn && cd /tmp | out=second-turn\n\nShell cwd was reset to /tmp/harness-claude/proj",
                "tool_use | Tool: Write | in=/tmp/notes.txt | out=Updated /tmp/notes.txt",
                "assistant_response | Assistant response | out=Second turn finished.");
        assertThat(t.body().path("errors")).isEmpty();
        // The transcript also holds the two turns of the earlier run: they must not be counted again.
        assertUsage(t, totals().forPrompt("8ce1e494-b5df-483d-820c-9ef3eee8bc54"));
        assertThat(t.body().path("environment").path("session_source").asText()).isEqualTo("resume");
    }

    @Test
    void parallelToolCallsArePairedByToolUseId() throws IOException {
        List<ReceivedTrace> traces = replay("04-parallel", 1);
        ReceivedTrace t = traces.get(0);
        assertThat(steps(t)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-PARALLEL run two commands at once",
                "tool_use | Tool: Bash — one | in=echo one | out=one",
                "tool_use | Tool: Bash — two | in=echo two | out=two",
                "assistant_response | Assistant response | out=Parallel done.");
        assertUsage(t, totals().forPrompt("18b00070-f650-4b39-a9df-53459ac85d2d"));
    }

    @Test
    void apiFailureProducesATraceWithTheError() throws IOException {
        List<ReceivedTrace> traces = replay("07-api-error", 1);
        ReceivedTrace t = traces.get(0);
        assertThat(steps(t)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-APIERROR make the API fail",
                "turn_failed | Turn failed: API Error: 400 fake server: injected failure | out=API Error: 400 fake server: injected failure | ERROR APIError: API Error: 400 fake server: injected failure");
        JsonNode errors = t.body().path("errors");
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path("error_type").asText()).isEqualTo("APIError");
        assertThat(errors.get(0).path("message").asText()).contains("400 fake server: injected failure");
        assertThat(errors.get(0).path("recoverable").asBoolean()).isFalse();
        assertThat(errors.get(0).path("step_number").asInt()).isEqualTo(2);
        JsonNode u = t.body().path("llm_usage");
        assertThat(u.path("api_calls_count").asInt()).as("the failed request was not billed").isZero();
        assertThat(u.path("total_tokens").asLong()).isZero();
    }

    @Test
    void foregroundSubagentNestsItsToolCalls() throws IOException {
        List<ReceivedTrace> traces = replay("11-foreground-subagent", 1);
        ReceivedTrace t = traces.get(0);
        List<String> s = steps(t);
        assertThat(s).hasSize(5);
        assertThat(s.get(0)).isEqualTo("user_prompt | User prompt | in=HARNESS-FGAGENT delegate and wait");
        assertThat(s.get(1)).startsWith("tool_use | Tool: Agent | in=Foreground subagent: ");
        assertThat(s.get(2)).isEqualTo("subagent | Subagent: general-purpose | out=Subagent result: from-subagent");
        assertThat(s.get(3)).isEqualTo("tool_use | Tool: Bash (in subagent) — Subagent echo | in=echo from-subagent | out=from-subagent");
        assertThat(s.get(4)).isEqualTo("assistant_response | Assistant response | out=The foreground subagent finished.");
        assertThat(t.body().path("steps").get(3).path("agent_id").asText()).isEqualTo("a24d2ebc6ae761397");
        Totals expected = totals().forPrompt(
                Fixtures.payload("claude-code-2.1.330", "11-foreground-subagent", "03-UserPromptSubmit.json")
                        .path("prompt_id").asText());
        assertUsage(t, expected);
        assertThat(t.body().path("environment").path("custom_tags").path("subagent_api_calls").asInt()).isPositive();
    }
}
