package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.FakeReply.failure;
import static ai.infinium.connector.e2e.FakeReply.reply;
import static ai.infinium.connector.e2e.FakeReply.text;
import static ai.infinium.connector.e2e.FakeReply.toolUse;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.e2e.ClaudeCodeRun.Result;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ServerSecrets;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TranscriptTotals;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test: `infinium init` in a project, then a real multi-turn Claude Code 2.1.330
 * session (offline, against a loopback fake of the Messages API) with the hooks init installed
 * (the launcher in bin/ and the packaged jar), and the traces that reach the loopback Infinium API.
 */
@Tag("e2e")
class ClaudeCodeEndToEndE2ETest {
    static final String AGENT = TracedClaudeProject.AGENT;
    static final String SECRET = TracedClaudeProject.SECRET;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path work;
    TracedClaudeProject project;
    FakeAnthropicApi anthropic;
    FakeInfiniumApi infinium;
    ClaudeCodeRun claude;
    TestEnv connector;

    @BeforeEach
    void setUp() throws Exception {
        project = TracedClaudeProject.create(work);
        anthropic = project.anthropic;
        infinium = project.infinium;
        connector = project.connector;
        claude = project.claude;
    }

    void init(String mode) {
        project.init(mode);
    }

    @AfterEach
    void tearDown() {
        project.close();
    }

    @Test
    void commandMode() throws Exception {
        init("command");
        aMultiTurnSessionArrivesAsOneTracePerTurnWithStepsErrorsAndUsage();
        assertThat(connector.run(work, "server", "status").code()).as("command mode starts no server").isEqualTo(1);
    }

    /** The default: tool events post to the server the SessionStart hook started; the same traces. */
    @Test
    void serverMode() throws Exception {
        init("server");
        aMultiTurnSessionArrivesAsOneTracePerTurnWithStepsErrorsAndUsage();
        TestEnv.Result status = connector.run(work, "server", "status", "--json");
        assertThat(status.code()).as(status.toString()).isZero();
        JsonNode s = JSON.readTree(status.out());
        // By http: turn 1's PostToolUseFailure, turn 2's SubagentStart and SubagentStop; forwarded by
        // the launcher: UserPromptSubmit x3, Stop x2, StopFailure (SessionStart and SessionEnd may
        // beat the server's start or find it stopping). No PreToolUse or PostToolUse is hooked.
        assertThat(s.path("events_received").asLong()).as(status.out()).isGreaterThanOrEqualTo(9);
        assertThat(spooledEventNames()).as("server mode hooks no tool call's start or result")
                .doesNotContain("PreToolUse", "PostToolUse").contains("PostToolUseFailure", "SubagentStart", "SubagentStop");
        ServerSecrets.assertTokenOnlyInOwnerOnlyFiles(work, connector.dirs());
    }

    void aMultiTurnSessionArrivesAsOneTracePerTurnWithStepsErrorsAndUsage() throws Exception {
        anthropic.script("E2E-TURN1",
                reply(text("Running a command."), toolUse("Bash", Map.of("command", "echo hello", "description", "Print hello"))),
                reply(toolUse("Bash", Map.of("command", "exit 3", "description", "Fail on purpose"))),
                reply(text("Done: echo worked and exit 3 failed.")));
        anthropic.script("E2E-TURN2",
                reply(toolUse("Agent", agentInput())),
                reply(text("The subagent reported back.")));
        anthropic.script("E2E-SUBAGENT",
                reply(toolUse("Bash", Map.of("command", "echo from-subagent", "description", "Subagent echo"))),
                reply(text("Subagent result: from-subagent")));
        anthropic.script("E2E-TURN3", failure(400));

        Result first = claude.prompt("E2E-TURN1 run echo hello, then a failing command.");
        assertThat(first.exitCode()).as("%s", first).isZero();
        String sessionId = first.sessionId();
        List<ReceivedTrace> afterFirst = infinium.awaitTraces(1, Duration.ofSeconds(90));
        assertThat(afterFirst.get(0).name()).isEqualTo("E2E-TURN1 run echo hello, the…");

        Result second = claude.continueLast("E2E-TURN2 delegate to a subagent and wait.");
        assertThat(second.exitCode()).as("%s", second).isZero();
        infinium.awaitTraces(2, Duration.ofSeconds(90));

        Result third = claude.continueLast("E2E-TURN3 this one fails.");
        assertThat(third.exitCode()).as("%s", third).isEqualTo(1);
        List<ReceivedTrace> traces = infinium.awaitTraces(3, Duration.ofSeconds(90));

        // Nothing more arrives: wait for the last detached workers to finish, then count again.
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(infinium.traces()).as("exactly one trace per turn").hasSize(3);
        // Every installed hook reached the spool: no step may be flagged as rebuilt for a lost hook
        // (in server mode each tool call's start and result are read from the transcript by design).
        for (ReceivedTrace t : traces) {
            assertThat(t.body().at("/environment/custom_tags/recovered_steps").isMissingNode())
                    .as("no recovered steps in %s", t.name()).isTrue();
        }

        ReceivedTrace t1 = traces.get(0);
        assertThat(actions(t1)).containsExactly("user_prompt", "tool_use", "tool_use", "assistant_response");
        assertThat(t1.body().path("steps").get(1).path("input_preview").asText()).isEqualTo("echo hello");
        assertThat(t1.body().path("steps").get(1).path("output_preview").asText()).isEqualTo("hello");
        JsonNode failed = t1.body().path("steps").get(2);
        assertThat(failed.path("input_preview").asText()).isEqualTo("exit 3");
        assertThat(failed.path("error").path("message").asText()).isEqualTo("Exit code 3");
        assertThat(t1.body().path("errors")).hasSize(1);
        assertThat(t1.body().path("errors").get(0).path("step_number").asInt()).isEqualTo(3);

        ReceivedTrace t2 = traces.get(1);
        assertThat(actions(t2)).containsExactly("user_prompt", "tool_use", "subagent", "tool_use", "assistant_response");
        assertThat(t2.body().path("steps").get(3).path("input_preview").asText()).isEqualTo("echo from-subagent");
        assertThat(t2.body().path("steps").get(3).path("agent_id").asText()).isNotBlank();
        assertThat(t2.body().path("steps").get(2).path("output_preview").asText()).isEqualTo("Subagent result: from-subagent");

        ReceivedTrace t3 = traces.get(2);
        assertThat(actions(t3)).containsExactly("user_prompt", "turn_failed");
        assertThat(t3.body().path("errors").get(0).path("error_type").asText()).isEqualTo("APIError");

        // Usage: per turn, what the model API really answered, each response once; equal to the
        // deduplicated transcript totals, subagent transcripts included.
        TranscriptTotals totals = TranscriptTotals.of(transcripts(sessionId));
        Map<String, String> promptIds = promptIdsByMarker(sessionId);
        assertUsage(t1, totals.forPrompt(promptIds.get("E2E-TURN1")), anthropicUsage("E2E-TURN1"));
        assertUsage(t2, totals.forPrompt(promptIds.get("E2E-TURN2")),
                anthropicUsage("E2E-TURN2").plus(anthropicUsage("E2E-SUBAGENT")));
        assertThat(t3.body().path("llm_usage").path("api_calls_count").asInt()).isZero();

        for (ReceivedTrace t : traces) {
            assertThat(t.header("x-agent-id")).isEqualTo(AGENT);
            assertThat(t.header("x-agent-key")).isEqualTo(SECRET);
            assertThat(t.header("user-agent")).startsWith("infinium-java-connector/");
            assertThat(t.body().path("environment").path("session_id").asText()).isEqualTo(sessionId);
            assertThat(t.body().path("environment").path("framework").asText()).isEqualTo("claude-code");
        }
        assertThat(new HashSet<>(traces.stream().map(ReceivedTrace::idempotencyKey).toList())).hasSize(3);

        assertSecretOnlyInFallbackStore();
    }

    /** The hook events the spools hold as hooks delivered them (not those read from the transcript). */
    Set<String> spooledEventNames() throws IOException {
        Set<String> names = new HashSet<>();
        for (List<JsonNode> spool : project.spools().values()) {
            for (JsonNode l : spool) {
                if (!l.has("recovered")) {
                    names.add(l.path("event").path("hook_event_name").asText());
                }
            }
        }
        return names;
    }

    static Map<String, Object> agentInput() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("description", "Foreground subagent");
        m.put("prompt", "E2E-SUBAGENT: run `echo from-subagent` and report.");
        m.put("subagent_type", "general-purpose");
        m.put("run_in_background", false);
        return m;
    }

    static List<String> actions(ReceivedTrace t) {
        List<String> out = new ArrayList<>();
        t.body().path("steps").forEach(s -> out.add(s.path("action").asText()));
        return out;
    }

    TranscriptTotals.Totals anthropicUsage(String marker) {
        return project.answeredUsage(marker);
    }

    static void assertUsage(ReceivedTrace t, TranscriptTotals.Totals fromTranscript, TranscriptTotals.Totals fromApi) {
        assertThat(fromTranscript).as("transcript totals match what the API answered").isEqualTo(fromApi);
        JsonNode u = t.body().path("llm_usage");
        assertThat(new TranscriptTotals.Totals(u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong(),
                u.path("api_calls_count").asInt())).as("usage of %s", t.name()).isEqualTo(fromApi);
        assertThat(u.path("total_tokens").asLong()).isEqualTo(fromApi.prompt() + fromApi.completion());
        assertThat(u.path("provider").asText()).isEqualTo("anthropic");
    }

    List<Path> transcripts(String sessionId) throws Exception {
        try (Stream<Path> files = Files.walk(claude.configDir().resolve("projects"))) {
            return files.filter(p -> p.toString().endsWith(".jsonl") && p.toString().contains(sessionId)).sorted().toList();
        }
    }

    /** The prompt id of each turn, read from the main transcript's user lines. */
    Map<String, String> promptIdsByMarker(String sessionId) throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        Path main = claude.transcript(sessionId).orElseThrow();
        for (String line : Files.readAllLines(main)) {
            JsonNode d = JSON.readTree(line);
            if (d.path("type").asText().equals("user") && d.has("promptId")) {
                String content = d.path("message").path("content").toString();
                for (String marker : List.of("E2E-TURN1", "E2E-TURN2", "E2E-TURN3")) {
                    if (content.contains(marker)) {
                        ids.putIfAbsent(marker, d.get("promptId").asText());
                    }
                }
            }
        }
        return ids;
    }

    void assertSecretOnlyInFallbackStore() throws Exception {
        Path store = connector.dirs().config().resolve("secrets.json");
        assertThat(Files.readString(store)).contains(SECRET);
        try (Stream<Path> files = Files.walk(work)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.equals(store) || Files.size(f) > 50_000_000) {
                    continue;
                }
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as("secret in %s", f)
                        .doesNotContain(SECRET);
            }
        }
    }
}
