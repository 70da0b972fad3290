package ai.infinium.connector.flush;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.claude.ClaudeHookInstaller;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.Fixtures;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TimedClaudeReplay;
import ai.infinium.connector.testing.TraceSteps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Server mode loses the tool events of a turn when the server dies: Claude Code's http hooks
 * fail silently. Real captured sessions are replayed in time twice, once with every hook event
 * and once without those an http hook would have posted, and the traces must be the same:
 * every tool call once, in order, with its input, output and error, and the same usage. Only
 * the recovered marker and the times that came from arrival (durations, step timestamps) differ.
 */
class TranscriptRecoveryTest {
    /** What server mode posts over http (lost while the server is down); the rest stays command hooks. */
    static final Set<String> HTTP_EVENTS = ClaudeHookInstaller.HTTP_EVENTS;
    /** What server mode installs no hook for at all: read from the transcript every turn. */
    static final Set<String> UNHOOKED = ClaudeHookInstaller.TRANSCRIPT_EVENTS;
    static final String MARK = " [recovered from transcript]";

    @TempDir Path tmp;
    final List<FakeInfiniumApi> apis = new ArrayList<>();

    @AfterEach
    void tearDown() {
        apis.forEach(FakeInfiniumApi::close);
    }

    /** One replay into its own user, session directory and stand-in API. */
    record Run(TimedClaudeReplay replay, FakeInfiniumApi api, TestEnv env) {
        List<ReceivedTrace> traces() {
            return api.traces();
        }
    }

    Run replay(String name, String scenario, Predicate<String> lost, String granularity) throws IOException {
        FakeInfiniumApi api = FakeInfiniumApi.start("agent-rec", "secret-rec-123");
        apis.add(api);
        TestEnv env = new TestEnv(tmp.resolve(name)).sendingTo(api).with("CONNECTOR_GRANULARITY", granularity);
        Path project = Files.createDirectories(tmp.resolve("project")); // one for both runs: it is in the traces
        return new Run(new TimedClaudeReplay(env, scenario, project).run(lost), api, env);
    }

    Run replay(String name, String scenario, Predicate<String> lost) throws IOException {
        return replay(name, scenario, lost, null);
    }

    static String eventOf(String file) {
        return file.substring(file.indexOf('-') + 1, file.length() - ".json".length());
    }

    /** Server mode, where no PreToolUse or PostToolUse hook runs. */
    static Predicate<String> serverMode() {
        return f -> UNHOOKED.contains(eventOf(f));
    }

    /** Server mode, and the server died just before {@code firstLost} arrived: every http hook from then on failed. */
    static Predicate<String> serverKilledAt(String firstLost) {
        return serverMode().or(f -> HTTP_EVENTS.contains(eventOf(f)) && f.compareTo(firstLost) >= 0);
    }

    /** A trace with what may differ after recovery taken out: arrival-derived times and the marker. */
    static JsonNode comparable(ReceivedTrace t) {
        ObjectNode body = t.body().deepCopy();
        body.remove("duration");
        ((ObjectNode) body.path("environment").path("custom_tags")).remove("recovered_steps");
        for (JsonNode s : body.path("steps")) {
            ObjectNode step = (ObjectNode) s;
            step.remove("timestamp");
            step.remove("duration_ms");
            step.put("description", step.path("description").asText().replace(MARK, ""));
        }
        return body;
    }

    static void assertSameTraces(Run lossy, Run full) {
        assertThat(lossy.traces()).as("as many traces as with every hook").hasSameSizeAs(full.traces());
        for (int i = 0; i < full.traces().size(); i++) {
            assertThat(TraceSteps.of(lossy.traces().get(i)).stream().map(s -> s.replace(MARK, "")).toList())
                    .as("steps of trace %d", i + 1).isEqualTo(TraceSteps.of(full.traces().get(i)));
            assertThat(comparable(lossy.traces().get(i))).as("trace %d", i + 1)
                    .isEqualTo(comparable(full.traces().get(i)));
        }
    }

    static List<JsonNode> recoveredLines(Run r) throws IOException {
        return r.replay().spoolLines().stream().filter(l -> l.has("recovered")).toList();
    }

    static int recoveredSteps(ReceivedTrace t) {
        return t.body().path("environment").path("custom_tags").path("recovered_steps").asInt(0);
    }

    static List<String> markedSteps(ReceivedTrace t) {
        return TraceSteps.of(t).stream().filter(s -> s.contains(MARK)).toList();
    }

    @ParameterizedTest(name = "{0}, server killed at {1}")
    @CsvSource({
        "02-main, 05-PreToolUse.json", "02-main, 08-PreToolUse.json", "02-main, 11-PreToolUse.json",
        "02-main, 14-PreToolUse.json", "02-main, 15-SubagentStart.json", "02-main, 16-PostToolUse.json",
        "02-main, 18-PreToolUse.json", "02-main, 20-PostToolUse.json", "02-main, 23-SubagentStop.json",
        "03-continue, 04-PreToolUse.json", "03-continue, 09-PostToolUse.json",
        "04-parallel, 04-PreToolUse.json", "04-parallel, 06-PostToolUse.json", "04-parallel, 07-PostToolUse.json",
        "11-foreground-subagent, 04-PreToolUse.json", "11-foreground-subagent, 05-SubagentStart.json",
        "11-foreground-subagent, 06-PreToolUse.json", "11-foreground-subagent, 09-SubagentStop.json",
        "11-foreground-subagent, 10-PostToolUse.json"})
    void aServerKilledMidTurnLosesNoToolCall(String scenario, String firstLost) throws IOException {
        Run full = replay("full", scenario, f -> false);
        Run lossy = replay("lossy", scenario, serverKilledAt(firstLost));

        assertSameTraces(lossy, full);
        // Every lost event was rebuilt, once, in the shape the hook sent it.
        List<String> lost = lossy.replay().arrivals().keySet().stream().filter(serverKilledAt(firstLost)).toList();
        assertThat(lost).isNotEmpty();
        List<JsonNode> recovered = recoveredLines(lossy);
        assertThat(recovered).as("one rebuilt line per lost event").hasSameSizeAs(lost);
        for (String file : lost) {
            assertRebuiltLikeTheHook(scenario, file, recovered);
        }
        // Only the steps whose http hook went missing are marked; those of calls read by design are not.
        int marked = lossy.traces().stream().mapToInt(t -> markedSteps(t).size()).sum();
        boolean hookLost = lost.stream().anyMatch(f -> HTTP_EVENTS.contains(eventOf(f)));
        assertThat(marked > 0).as("steps marked (%d) iff an http hook was lost: %s", marked, lost).isEqualTo(hookLost);
        assertThat(lossy.traces().stream().mapToInt(TranscriptRecoveryTest::recoveredSteps).sum()).isEqualTo(marked);
        assertThat(full.traces().stream().mapToInt(TranscriptRecoveryTest::recoveredSteps).sum()).isZero();
    }

    /**
     * The rebuilt event equals the captured payload, field for field and in the same order, but
     * for what the transcript does not keep: the hook's own timing, the background-task lists of
     * SubagentStop, and a subagent call's structured result (its transcript has only the text).
     */
    void assertRebuiltLikeTheHook(String scenario, String file, List<JsonNode> recovered) throws IOException {
        JsonNode original = Fixtures.payload("claude-code-2.1.330", scenario, file);
        String key = original.has("tool_use_id") ? "tool_use_id" : "agent_id";
        JsonNode rebuilt = recovered.stream().map(l -> l.get("event"))
                .filter(e -> e.path("hook_event_name").equals(original.get("hook_event_name"))
                        && e.path(key).equals(original.get(key)))
                .findFirst().orElseThrow(() -> new AssertionError("nothing rebuilt for " + file));
        ObjectNode expected = original.deepCopy();
        expected.remove(List.of("duration_ms", "background_tasks", "session_crons"));
        ObjectNode actual = rebuilt.deepCopy();
        // The replay points the hooks' paths at its copy of the transcripts.
        actual.put("transcript_path", original.get("transcript_path").asText());
        if (actual.has("agent_transcript_path")) {
            actual.put("agent_transcript_path", original.get("agent_transcript_path").asText());
        }
        if (original.has("agent_id") && original.has("tool_response")) {
            assertThat(actual.get("tool_response").asText()).as("a subagent call's output, as the model read it")
                    .isEqualTo(original.get("tool_response").path("stdout").asText());
            actual.set("tool_response", original.get("tool_response"));
        }
        assertThat(actual).as("rebuilt %s", file).isEqualTo(expected);
        assertThat(fieldNames(actual)).as("field order of %s", file).isEqualTo(fieldNames(expected));
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * The default install: no tool call's start or result comes by hook, yet every trace equals
     * the one command mode (every hook) gives, and none of its steps is flagged as recovered.
     */
    @ParameterizedTest
    @ValueSource(strings = {"02-main", "03-continue", "04-parallel", "11-foreground-subagent"})
    void serverModeReadsEveryToolCallFromTheTranscript(String scenario) throws IOException {
        Run full = replay("full", scenario, f -> false);
        Run server = replay("server", scenario, serverMode());

        assertSameTraces(server, full);
        List<String> unhooked = server.replay().arrivals().keySet().stream().filter(serverMode()).toList();
        assertThat(unhooked).isNotEmpty();
        List<JsonNode> read = recoveredLines(server);
        assertThat(read).as("one line read per unhooked event").hasSameSizeAs(unhooked);
        assertThat(read).allSatisfy(l -> assertThat(l.path("planned").asBoolean()).as("%s", l).isTrue());
        for (String file : unhooked) {
            assertRebuiltLikeTheHook(scenario, file, read);
        }
        assertThat(server.traces()).allSatisfy(t -> {
            assertThat(markedSteps(t)).isEmpty();
            assertThat(recoveredSteps(t)).isZero();
        });
    }

    /** In command mode, too, a call's start or result read from the transcript is an ordinary step. */
    @Test
    void onlyThePostToolUseOfOneParallelCallLostGetsOnlyThatPost() throws IOException {
        Run full = replay("full", "04-parallel", f -> false);
        Run lossy = replay("lossy", "04-parallel", "06-PostToolUse.json"::equals);

        assertSameTraces(lossy, full);
        List<JsonNode> recovered = recoveredLines(lossy);
        assertThat(recovered).hasSize(1);
        assertThat(recovered.get(0).path("event").path("hook_event_name").asText()).isEqualTo("PostToolUse");
        assertThat(recovered.get(0).path("event").path("tool_use_id").asText())
                .isEqualTo("toolu_cc724486cc81406799a32d40");
        assertThat(recovered.get(0).path("received_at").asText()).as("the tool_result line's time")
                .isEqualTo("2026-11-21T23:59:59.598Z");
        assertThat(recovered.get(0).path("planned").asBoolean()).isTrue();
        ReceivedTrace t = lossy.traces().get(0);
        assertThat(TraceSteps.of(t)).contains("tool_use | Tool: Bash — one | in=echo one | out=one");
        assertThat(markedSteps(t)).isEmpty();
        assertThat(recoveredSteps(t)).isZero();
    }

    @Test
    void aFailedCommandRecoveredIsAStepErrorWithTheHooksMessage() throws IOException {
        Run lossy = replay("lossy", "02-main", serverKilledAt("08-PreToolUse.json"));
        ReceivedTrace t = lossy.traces().get(0);
        assertThat(TraceSteps.of(t).get(2))
                .isEqualTo("tool_use | Tool: Bash — Fail on purpose" + MARK
                        + " | in=exit 3 | out=Exit code 3 | ERROR ToolError: Exit code 3");
        JsonNode errors = t.body().path("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).path("error_type").asText()).isEqualTo("ToolError");
        assertThat(errors.get(0).path("message").asText()).isEqualTo("Exit code 3");
        assertThat(errors.get(0).path("recoverable").asBoolean()).isTrue();
        assertThat(errors.get(0).path("step_number").asInt()).isEqualTo(3);
        assertThat(errors.get(1).path("message").asText()).startsWith("File does not exist.");
    }

    @Test
    void aRecoveredCallIsTimedByItsTranscriptLines() throws IOException {
        Run lossy = replay("lossy", "02-main", serverKilledAt("05-PreToolUse.json"));
        JsonNode echo = lossy.traces().get(0).body().path("steps").get(1);
        assertThat(echo.path("input_preview").asText()).isEqualTo("echo hello");
        // tool_use written at 54.899, its tool_result at 55.101; the hook's duration_ms (111) is not in the transcript.
        assertThat(echo.path("timestamp").asText()).isEqualTo("2026-11-21T23:59:54.899Z");
        assertThat(echo.path("duration_ms").asLong()).isEqualTo(202);
    }

    @Test
    void flushingAgainAddsNothing() throws IOException {
        Run lossy = replay("lossy", "02-main", serverKilledAt("08-PreToolUse.json"));
        List<JsonNode> before = lossy.replay().spoolLines();
        int traces = lossy.traces().size();

        lossy.replay().flush("turn-end");
        lossy.replay().flush("session-end");

        assertThat(lossy.replay().spoolLines()).as("no line added by a second recovery").isEqualTo(before);
        assertThat(lossy.api().requests()).as("nothing sent again").hasSize(traces);
        Set<String> reports = new HashSet<>();
        for (JsonNode l : before) {
            JsonNode e = l.get("event");
            String id = e.hasNonNull("tool_use_id") ? e.get("tool_use_id").asText() : e.path("agent_id").asText();
            String event = e.path("hook_event_name").asText();
            if (HTTP_EVENTS.contains(event) || UNHOOKED.contains(event)) {
                assertThat(reports.add(e.path("hook_event_name").asText() + " " + id)).as("%s once", e).isTrue();
            }
        }
    }

    @Test
    void aHookThatArrivesAfterItWasRecoveredIsNotCountedTwice() throws IOException {
        Run lossy = replay("lossy", "02-main", serverKilledAt("20-PostToolUse.json"));
        int traces = lossy.traces().size();
        // The PostToolUse had only been held up: it lands after the session's traces went out.
        lossy.replay().deliver("20-PostToolUse.json", "2026-11-21T23:59:56.200Z");
        lossy.replay().flush("session-end");

        assertThat(lossy.api().requests()).as("no trace for a duplicate").hasSize(traces);
        long bashSteps = lossy.traces().stream().flatMap(t -> TraceSteps.of(t).stream())
                .filter(s -> s.startsWith("tool_use | Tool: Bash (in subagent)")).count();
        assertThat(bashSteps).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"02-main", "03-continue", "04-parallel", "11-foreground-subagent"})
    void aSessionWhoseHooksAllArrivedGainsNothing(String scenario) throws IOException {
        Run full = replay("full", scenario, f -> false);
        assertThat(recoveredLines(full)).isEmpty();
        assertThat(full.traces()).isNotEmpty().allSatisfy(t -> assertThat(markedSteps(t)).isEmpty());
    }

    @Test
    void sessionGranularityKeepsRecoveredStepsWhereTheyHappened() throws IOException {
        Run full = replay("full", "02-main", f -> false, "session");
        Run lossy = replay("lossy", "02-main", serverKilledAt("08-PreToolUse.json"), "session");
        assertThat(full.traces()).hasSize(1);
        assertSameTraces(lossy, full);
    }
}
