package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.FakeReply.reply;
import static ai.infinium.connector.e2e.FakeReply.text;
import static ai.infinium.connector.e2e.FakeReply.toolUse;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TranscriptTotals;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, item 1: the real interactive Claude Code 2.1.330, driven in a terminal (tmux) by
 * keystrokes, with the hooks {@code infinium init} installed (default server mode, through
 * {@code bin/infinium} and the packaged jar): N prompts, then {@code /exit} or Ctrl-C twice, give
 * exactly N traces at the loopback Infinium API, none empty.
 *
 * <p>Leaving an interactive session fires SessionEnd, and so does {@code /clear} (for the session
 * it ends). With {@code /exit} and {@code /clear} that SessionEnd carries a fresh {@code prompt_id}
 * that no UserPromptSubmit preceded (the command gets a prompt id of its own but fires no
 * UserPromptSubmit); with Ctrl-C twice it carries the last turn's (seen with 2.1.330). Neither may
 * become a trace of its own, nor make a turn go out twice.
 *
 * <p>The CLI starts in a fresh config directory for each test and is taken through its first-run
 * screens as a person would: the folder-trust dialog (Down, Enter: trusting the folder is what lets
 * the project's hooks run) and "Do you want to use this API key?" (Up, Enter). Only the onboarding
 * flag is pre-seeded: without it the welcome screen checks that it can reach api.anthropic.com
 * (whatever ANTHROPIC_BASE_URL says) and exits 1 offline. What each screen shows, and how the
 * test tells a finished turn, is written down in {@link ClaudeCodeTerminal}.
 *
 * <p>Each prompt is typed only once the turn before has ended, hooks included: a prompt typed while
 * a turn runs is queued by the CLI, a different case that these tests leave alone.
 */
@Tag("e2e")
class ClaudeCodeInteractiveE2ETest {

    /** A turn's trace goes out within seconds of its end; the first waits for the server's JVM. */
    private static final Duration TRACE_WAIT = Duration.ofSeconds(60);

    @TempDir Path work;
    TracedClaudeProject project;
    ClaudeCodeTerminal claude;

    @BeforeEach
    void setUp() throws Exception {
        project = TracedClaudeProject.create(work);
        project.init("server");
        project.anthropic.script("PTY-ONE",
                reply(text("Running echo one."), toolUse("Bash", Map.of("command", "echo one", "description", "Print one"))),
                reply(text("Turn one done.")));
        project.anthropic.script("PTY-TWO",
                reply(toolUse("Bash", Map.of("command", "echo two", "description", "Print two"))),
                reply(text("Turn two done.")));
        claude = project.claude.interactive();
        claude.acceptFirstRunDialogs();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (claude != null) {
                claude.close();
            }
        } finally {
            project.close();
        }
    }

    @Test
    void twoPromptsThenSlashExitGiveTwoTraces() throws Exception {
        claude.ask("PTY-ONE run echo one", "Turn one done.");
        claude.ask("PTY-TWO run echo two", "Turn two done.");
        assertThat(claude.exit()).as("/exit").isZero();

        List<ReceivedTrace> traces = exactlyTraces(2);
        assertTurn(traces.get(0), "PTY-ONE run echo one", "echo one", "one", "PTY-ONE");
        assertTurn(traces.get(1), "PTY-TWO run echo two", "echo two", "two", "PTY-TWO");
        assertThat(sessionIds(traces)).as("one session").hasSize(1);
        assertEndedWithoutAPrompt(sessionIds(traces).iterator().next(), "prompt_input_exit");
    }

    @Test
    void onePromptThenCtrlCTwiceGivesOneTrace() throws Exception {
        claude.ask("PTY-ONE run echo one", "Turn one done.");
        assertThat(claude.pressCtrlCTwice()).as("Ctrl-C twice").isZero();

        List<ReceivedTrace> traces = exactlyTraces(1);
        assertTurn(traces.get(0), "PTY-ONE run echo one", "echo one", "one", "PTY-ONE");
        assertThat(sessionEnd(sessionIds(traces).iterator().next()).path("reason").asText()).isEqualTo("prompt_input_exit");
    }

    /** {@code /clear} ends the first session (SessionEnd, reason clear) and starts a second. */
    @Test
    void clearBetweenTwoPromptsGivesOneTracePerPrompt() throws Exception {
        claude.ask("PTY-ONE run echo one", "Turn one done.");
        claude.clear();
        claude.ask("PTY-TWO run echo two", "Turn two done.");
        assertThat(claude.exit()).as("/exit").isZero();

        List<ReceivedTrace> traces = exactlyTraces(2);
        assertTurn(traces.get(0), "PTY-ONE run echo one", "echo one", "one", "PTY-ONE");
        assertTurn(traces.get(1), "PTY-TWO run echo two", "echo two", "two", "PTY-TWO");
        List<String> sessions = List.copyOf(sessionIds(traces));
        assertThat(sessions).as("/clear starts a new session").hasSize(2);
        assertEndedWithoutAPrompt(sessions.get(0), "clear");
        assertEndedWithoutAPrompt(sessions.get(1), "prompt_input_exit");
    }

    /**
     * Waits for {@code n} traces, then makes sure no more come: every session's SessionEnd has
     * reached the spool, the server's in-process flushes are finished ({@code server stop} drains
     * them) and no detached worker runs or outbox entry waits.
     */
    private List<ReceivedTrace> exactlyTraces(int n) throws Exception {
        awaitSessionEnds(sessionIds(project.infinium.awaitTraces(n, TRACE_WAIT)));
        TestEnv.Result stop = project.connector.run(work, "server", "stop");
        assertThat(stop.code()).as(stop.toString()).isZero();
        project.connector.awaitDeliveriesDone(Duration.ofSeconds(30));
        List<ReceivedTrace> traces = project.infinium.traces();
        assertThat(traces).as("exactly one trace per prompt; the spools: %s", spoolSummary()).hasSize(n);
        // In prompt order (the markers sort so): a turn's trace may overtake the one before.
        return traces.stream().sorted(Comparator.comparing(ReceivedTrace::name)).toList();
    }

    /** Polls the spools (bounded) until each of the sessions holds a SessionEnd. */
    private void awaitSessionEnds(Set<String> sessions) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TRACE_WAIT.toNanos();
        while (!endedSessions().containsAll(sessions)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no SessionEnd for each of " + sessions + " within " + TRACE_WAIT
                        + "; the spools: " + spoolSummary());
            }
            Thread.sleep(100); // bounded poll: the SessionEnd hook runs in its own process
        }
    }

    private Set<String> endedSessions() throws IOException {
        return project.spools().entrySet().stream()
                .filter(spool -> spool.getValue().stream().anyMatch(l -> event(l).equals("SessionEnd")))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /**
     * The turn's trace: named after its prompt, with the prompt, the echo call and its output, the
     * last answer as steps, and the usage the fake API answered for the turn's two model calls.
     */
    private void assertTurn(ReceivedTrace t, String prompt, String command, String output, String marker) {
        JsonNode body = t.body();
        assertThat(t.name()).isEqualTo(prompt);
        assertThat(body.path("description").asText()).isEqualTo(prompt);
        assertThat(ClaudeCodeEndToEndE2ETest.actions(t)).as("steps of %s", prompt)
                .containsExactly("user_prompt", "tool_use", "assistant_response");
        JsonNode tool = body.path("steps").get(1);
        assertThat(tool.path("input_preview").asText()).isEqualTo(command);
        assertThat(tool.path("output_preview").asText()).isEqualTo(output);
        TranscriptTotals.Totals answered = project.answeredUsage(marker);
        assertThat(answered.calls()).as("model calls of %s", marker).isEqualTo(2);
        JsonNode u = body.path("llm_usage");
        assertThat(new TranscriptTotals.Totals(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong(),
                u.path("api_calls_count").asInt())).as("usage of %s", prompt).isEqualTo(answered);
        assertThat(u.path("total_tokens").asLong()).isPositive();
        assertThat(body.path("environment").path("framework").asText()).isEqualTo("claude-code");
        // Every installed hook reached the spool: no step was rebuilt from the transcript for a lost
        // hook (the tool call's start and result come from the transcript by design in server mode).
        assertThat(body.at("/environment/custom_tags/recovered_steps").isMissingNode()).as("recovered steps in %s", prompt)
                .isTrue();
    }

    /** The session's SessionEnd has {@code reason} and a prompt id that no prompt of the session had. */
    private void assertEndedWithoutAPrompt(String sessionId, String reason) throws IOException {
        JsonNode end = sessionEnd(sessionId);
        assertThat(end.path("reason").asText()).isEqualTo(reason);
        Set<String> prompted = project.spools().get(sessionId).stream()
                .filter(l -> event(l).equals("UserPromptSubmit"))
                .map(l -> l.path("event").path("prompt_id").asText())
                .collect(Collectors.toSet());
        assertThat(end.path("prompt_id").asText()).as("SessionEnd's prompt id, not one of %s", prompted)
                .isNotBlank().isNotIn(prompted);
    }

    private JsonNode sessionEnd(String sessionId) throws IOException {
        List<JsonNode> spool = project.spools().get(sessionId);
        assertThat(spool).as("spool of session %s", sessionId).isNotNull();
        return spool.stream().filter(l -> event(l).equals("SessionEnd")).map(l -> l.path("event")).findFirst()
                .orElseThrow(() -> new AssertionError("no SessionEnd in the spool of " + sessionId));
    }

    private static Set<String> sessionIds(List<ReceivedTrace> traces) {
        return traces.stream().map(t -> t.body().path("environment").path("session_id").asText())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static String event(JsonNode spoolLine) {
        return spoolLine.path("event").path("hook_event_name").asText();
    }

    /** Each session's spool as a list of events with their prompt ids, for failure messages. */
    private String spoolSummary() {
        try {
            StringBuilder s = new StringBuilder();
            project.spools().forEach((id, lines) -> {
                s.append("\n").append(id).append(":");
                for (JsonNode l : lines) {
                    s.append("\n  ").append(event(l)).append(' ').append(l.path("event").path("prompt_id").asText("-"))
                            .append(l.has("recovered") ? " (recovered)" : "")
                            .append(l.path("event").has("reason") ? " reason=" + l.path("event").path("reason").asText() : "");
                }
            });
            return s.toString();
        } catch (IOException e) {
            return "(spools unreadable: " + e + ")";
        }
    }
}
