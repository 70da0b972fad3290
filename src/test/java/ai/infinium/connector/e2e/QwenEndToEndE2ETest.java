package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.ChatCompletionsReply.failure;
import static ai.infinium.connector.e2e.ChatCompletionsReply.reply;
import static ai.infinium.connector.e2e.ChatCompletionsReply.text;
import static ai.infinium.connector.e2e.ChatCompletionsReply.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.e2e.FakeChatCompletionsApi.ApiCall;
import ai.infinium.connector.e2e.QwenRun.Result;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Qwen Code acceptance test: `infinium init --agent qwen` in a project, then the real Qwen
 * Code 0.24.4 from the npm registry, headless and offline against a loopback Chat Completions
 * API, with the hooks init installed, and the traces at the loopback Infinium API. Expected usage
 * is what the fake served, totalled here from its own record of each call.
 */
@Tag("e2e")
class QwenEndToEndE2ETest {
    static final String AGENT = "agent-qwen-e2e";
    static final String SECRET = "qwen-e2e-secret-4471";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path work;
    FakeChatCompletionsApi openai;
    FakeInfiniumApi infinium;
    QwenRun qwen;
    TestEnv connector;

    @BeforeEach
    void setUp() throws Exception {
        openai = FakeChatCompletionsApi.start().sideCallsAre(QwenEndToEndE2ETest::isSideCall);
        infinium = FakeInfiniumApi.start(AGENT, SECRET);
        connector = new TestEnv(work.resolve("connector"))
                .with("INFINIUM_LAUNCHER", Path.of("bin", "infinium").toAbsolutePath().toString());
        QwenRun.Builder b = QwenRun.builder(work).baseUrl(openai.baseUrl());
        for (String k : List.of("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "CONNECTOR_SESSION_DIR",
                "INFINIUM_SERVER_PORT", "INFINIUM_SERVER_IDLE_TIMEOUT")) {
            b.env(k, connector.env().get(k));
        }
        qwen = b.build();
        Files.writeString(qwen.projectDir().resolve("README.md"), "# E2E project\nRead by the read_file tool.\n");
    }

    /** {@code init --agent qwen} in {@code mode}: server (the default) or command (a JVM per event). */
    void init(String mode) {
        TestEnv.Result init = connector.run(qwen.projectDir(), "init", "--no-interactive", "--agent", "qwen",
                "--mode", mode, "--agent-id", AGENT, "--agent-secret", SECRET, "--base-url", infinium.baseUrl());
        assertThat(init.code()).as(init.toString()).isZero();
    }

    @AfterEach
    void tearDown() {
        connector.run(work, "server", "stop");
        openai.close();
        infinium.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"server", "command"})
    void twoTurnsArriveAsTwoTracesWithTheFailingCommandAndWhatTheApiServed(String mode) throws Exception {
        init(mode);
        String readme = qwen.projectDir().resolve("README.md").toString();
        openai.script("E2E-QW1",
                reply(text("Running a command."), toolCall("run_shell_command",
                        Map.of("command", "echo hello", "description", "say hello"))),
                reply(toolCall("run_shell_command", Map.of("command", "echo e2e-fail >&2; exit 3",
                        "description", "fail on purpose"))),
                reply(toolCall("read_file", Map.of("file_path", readme))),
                reply(text("Done: echo worked, exit 3 failed, the file was read.")));
        openai.script("E2E-QW2", reply(text("Second turn done.")));

        Result first = qwen.prompt("E2E-QW1 run echo hello, then a failing command, then read README.md.");
        assertThat(first.exitCode()).as("%s", first).isZero();
        infinium.awaitTraces(1, Duration.ofSeconds(90));
        Result second = qwen.continueLast("E2E-QW2 one more thing.");
        assertThat(second.exitCode()).as("%s", second).isZero();
        List<ReceivedTrace> traces = infinium.awaitTraces(2, Duration.ofSeconds(90));
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(infinium.traces()).as("one trace per turn\n%s", openai.describeCalls()).hasSize(2);
        String sessionId = first.sessionId();
        assertThat(second.sessionId()).as("--continue keeps the session").isEqualTo(sessionId);

        ReceivedTrace t1 = traces.get(0);
        assertThat(actions(t1)).containsExactly("user_prompt", "tool_use", "tool_use", "tool_use", "assistant_response");
        JsonNode steps = t1.body().path("steps");
        assertThat(steps.get(1).path("input_preview").asText()).isEqualTo("echo hello");
        assertThat(steps.get(1).path("output_preview").asText()).isEqualTo("hello");
        assertThat(steps.get(2).path("input_preview").asText()).isEqualTo("echo e2e-fail >&2; exit 3");
        assertThat(steps.get(2).path("error").path("message").asText()).isEqualTo("Command failed with exit code 3");
        assertThat(steps.get(3).path("input_preview").asText()).isEqualTo(readme);
        assertThat(steps.get(3).path("output_preview").asText()).contains("Read by the read_file tool.");
        assertThat(t1.body().path("errors")).as("the failing command is the only error").hasSize(1);
        assertThat(t1.body().path("errors").get(0).path("error_type").asText()).isEqualTo("ToolError");
        assertThat(toolSteps(t1)).as("one step per tool call the model made")
                .isEqualTo(toolCallsServed(openai.modelCalls("E2E-QW1")));

        ReceivedTrace t2 = traces.get(1);
        assertThat(actions(t2)).containsExactly("user_prompt", "assistant_response");
        assertThat(t2.body().path("errors")).isEmpty();

        ServedUsage.assertCounted(t1, served(openai.modelCalls("E2E-QW1")));
        ServedUsage.assertCounted(t2, served(openai.modelCalls("E2E-QW2")));
        for (ReceivedTrace t : traces) {
            JsonNode env = t.body().path("environment");
            assertThat(env.path("framework").asText()).isEqualTo("qwen-code");
            assertThat(env.path("session_id").asText()).isEqualTo(sessionId);
            assertThat(t.body().path("llm_usage").path("model").asText()).isEqualTo(QwenRun.MODEL);
            assertThat(t.body().path("llm_usage").path("provider").asText()).isEqualTo("openai");
            assertThat(t.header("x-agent-id")).isEqualTo(AGENT);
            assertThat(t.header("x-agent-key")).isEqualTo(SECRET);
            assertThat(t.header("user-agent")).startsWith("infinium-java-connector/");
            assertThat(t.body().toString()).as("no secret in a trace").doesNotContain(QwenRun.API_KEY)
                    .doesNotContain(SECRET);
        }
        assertThat(new HashSet<>(traces.stream().map(ReceivedTrace::idempotencyKey).toList())).hasSize(2);

        if (mode.equals("server")) {
            // The launcher forwarded the hooks to the per-user server the first one started,
            // instead of starting a JVM for each.
            TestEnv.Result status = connector.run(work, "server", "status", "--json");
            assertThat(status.code()).as(status.toString()).isZero();
            assertThat(JSON.readTree(status.out()).path("events_received").asLong()).as(status.out()).isGreaterThan(5);
        }

        // Qwen puts a SessionStart or UserPromptSubmit hook's stdout into the model's context (its
        // system prompt explains the markers): ours print nothing, so no other message holds one.
        for (ApiCall c : openai.calls()) {
            for (JsonNode m : c.messages()) {
                if (!"system".equals(m.path("role").asText())) {
                    assertThat(m.toString()).as("call %s", c.seq()).doesNotContain("<qwen:session-start-context")
                            .doesNotContain("<qwen:user-prompt-submit-context");
                }
            }
        }
    }

    /**
     * The API fails: Qwen fires UserPromptSubmit and then no hook that ends the turn, headless
     * fires no SessionEnd either. The turn goes out once the session is stale, with the error Qwen
     * logged in its transcript, and only once.
     */
    @Test
    void anApiErrorTurnGoesOutOnceWhenTheSessionGoesStale() throws Exception {
        init("server");
        openai.script("E2E-QWERR", failure(400, "invalid_request_error", null, "fake: injected failure"));
        Result run = qwen.prompt("E2E-QWERR make the API fail");
        assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
        connector.awaitDeliveriesDone(Duration.ofSeconds(30));
        assertThat(infinium.traces()).as("no hook ended the turn").isEmpty();

        connector.with("CONNECTOR_SESSION_TTL", "0");
        assertThat(connector.run(qwen.projectDir(), "flush", "--stale").code()).isZero();
        List<ReceivedTrace> traces = infinium.awaitTraces(1, Duration.ofSeconds(30));
        assertThat(traces).hasSize(1);
        ReceivedTrace t = traces.get(0);
        assertThat(actions(t)).containsExactly("user_prompt", "turn_failed");
        assertThat(t.body().path("errors")).hasSize(1);
        assertThat(t.body().path("errors").get(0).path("error_type").asText()).isEqualTo("APIError");
        assertThat(t.body().path("errors").get(0).path("message").asText()).contains("fake: injected failure")
                .contains("400");
        assertThat(t.body().path("environment").path("session_id").asText()).isEqualTo(run.sessionId());
        assertThat(t.body().path("llm_usage").path("api_calls_count").asInt()).isZero();

        assertThat(connector.run(qwen.projectDir(), "flush", "--stale").code()).isZero();
        assertThat(infinium.traces()).as("never twice").hasSize(1);
    }

    /**
     * Qwen's background memory extraction offers tools and repeats the conversation (markers
     * included), so the fake's default rule would take it for a step of the turn; its last user
     * message is its own instruction. The connector counts no such call (it writes no assistant
     * line): the expected totals leave them out too.
     */
    static boolean isSideCall(JsonNode body) {
        JsonNode messages = body.path("messages");
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        return body.path("tools").isEmpty()
                || last != null && "user".equals(last.path("role").asText()) && last.path("content").toString()
                        .contains("Scan the recent conversation history in your context and update durable managed memory");
    }

    static List<FakeResponsesApi.Usage> served(List<ApiCall> calls) {
        return calls.stream().map(ApiCall::usage).toList();
    }

    static List<String> actions(ReceivedTrace t) {
        List<String> out = new ArrayList<>();
        t.body().path("steps").forEach(s -> out.add(s.path("action").asText()));
        return out;
    }

    static int toolSteps(ReceivedTrace t) {
        return (int) actions(t).stream().filter("tool_use"::equals).count();
    }

    static int toolCallsServed(List<ApiCall> calls) {
        return calls.stream().mapToInt(c -> c.toolCallIds().size()).sum();
    }
}
