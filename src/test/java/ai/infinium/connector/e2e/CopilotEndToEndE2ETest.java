package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.ChatCompletionsReply.failure;
import static ai.infinium.connector.e2e.ChatCompletionsReply.reply;
import static ai.infinium.connector.e2e.ChatCompletionsReply.text;
import static ai.infinium.connector.e2e.ChatCompletionsReply.toolCall;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.e2e.FakeChatCompletionsApi.ApiCall;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Copilot acceptance test: `infinium init --agent copilot` in a project, then a real GitHub
 * Copilot CLI 1.0.102 session of two turns (`copilot -p`, then `copilot -p --continue`) and a third
 * whose model request fails, offline against a loopback Chat Completions API, with the hooks init
 * installed in the sandbox's COPILOT_HOME, and the traces at the loopback Infinium API.
 */
@Tag("e2e")
class CopilotEndToEndE2ETest {
    static final String AGENT = "agent-copilot-e2e";
    static final String SECRET = "copilot-e2e-secret-4471";

    @TempDir Path work;
    FakeChatCompletionsApi openai;
    FakeInfiniumApi infinium;
    CopilotRun copilot;
    TestEnv connector;

    @BeforeEach
    void setUp() throws Exception {
        openai = FakeChatCompletionsApi.start();
        infinium = FakeInfiniumApi.start(AGENT, SECRET);
        connector = new TestEnv(work.resolve("connector"))
                .with("INFINIUM_LAUNCHER", Path.of("bin", "infinium").toAbsolutePath().toString());
        CopilotRun.Builder b = CopilotRun.builder(work).baseUrl(openai.baseUrl());
        for (String k : List.of("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "CONNECTOR_SESSION_DIR",
                "INFINIUM_SERVER_PORT", "INFINIUM_SERVER_IDLE_TIMEOUT")) {
            b.env(k, connector.env().get(k));
        }
        copilot = b.build();
        connector.with("COPILOT_HOME", copilot.copilotHome().toString());
        Files.writeString(copilot.projectDir().resolve("README.md"), "# E2E project\nA file for the view tool to read.\n");
        TestEnv.Result init = connector.run(copilot.projectDir(), "init", "--no-interactive", "--agent", "copilot",
                "--agent-id", AGENT, "--agent-secret", SECRET, "--base-url", infinium.baseUrl());
        assertThat(init.code()).as(init.toString()).isZero();
    }

    @AfterEach
    void tearDown() {
        connector.run(work, "server", "stop");
        openai.close();
        infinium.close();
    }

    static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void twoTurnsAndAFailedOneArriveAsOneTraceEachWithTheFailingCommandAndPerTurnUsage() throws Exception {
        String readme = copilot.projectDir().resolve("README.md").toString();
        openai.script("E2E-CP1",
                reply(text("Running a command."), toolCall("bash", args("command", "echo hello", "description", "echo hello"))),
                reply(toolCall("bash", args("command", "echo e2e-fail >&2; exit 3", "description", "fail on purpose"))),
                reply(toolCall("view", args("path", readme))),
                reply(text("Done: echo worked, exit 3 failed and the file was read.")));
        openai.script("E2E-CP2",
                reply(toolCall("bash", args("command", "echo second", "description", "second turn"))),
                reply(text("Second turn done.")));
        openai.script("E2E-CP3", failure(400, "invalid_request_error", "e2e_injected", "e2e: injected failure"));

        CopilotRun.Result first = copilot.prompt("E2E-CP1 run echo hello, then a failing command, then read README.md.");
        assertThat(first.exitCode()).as("%s", first).isZero();
        String sessionId = first.sessionId();
        infinium.awaitTraces(1, Duration.ofSeconds(90));
        CopilotRun.Result second = copilot.continueLast("E2E-CP2 one more command.");
        assertThat(second.exitCode()).as("%s", second).isZero();
        assertThat(second.sessionId()).as("--continue keeps the session").isEqualTo(sessionId);
        infinium.awaitTraces(2, Duration.ofSeconds(90));
        CopilotRun.Result third = copilot.continueLast("E2E-CP3 this request fails.");
        assertThat(third.exitCode()).as("%s", third).isEqualTo(1);
        List<ReceivedTrace> traces = infinium.awaitTraces(3, Duration.ofSeconds(90));
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(infinium.traces()).as("one trace per turn, none twice").hasSize(3);

        ReceivedTrace t1 = traces.get(0);
        assertThat(actions(t1)).containsExactly("user_prompt", "tool_use", "tool_use", "tool_use", "assistant_response");
        JsonNode steps = t1.body().path("steps");
        assertThat(steps.get(1).path("input_preview").asText()).isEqualTo("echo hello");
        assertThat(steps.get(1).has("error")).isFalse();
        assertThat(steps.get(2).path("input_preview").asText()).isEqualTo("echo e2e-fail >&2; exit 3");
        assertThat(steps.get(2).path("error").path("message").asText()).isEqualTo("Command failed with exit code 3");
        assertThat(steps.get(3).path("input_preview").asText()).isEqualTo(readme);
        assertThat(steps.get(3).path("output_preview").asText()).contains("A file for the view tool to read.");
        assertThat(steps.get(4).path("output_preview").asText()).isEqualTo("Done: echo worked, exit 3 failed and the file was read.");
        assertThat(t1.body().path("errors")).as("the failing command is the only error").hasSize(1);
        assertThat(t1.body().path("errors").get(0).path("error_type").asText()).isEqualTo("ToolError");

        ReceivedTrace t2 = traces.get(1);
        assertThat(actions(t2)).containsExactly("user_prompt", "tool_use", "assistant_response");
        assertThat(t2.body().path("errors")).isEmpty();

        ReceivedTrace t3 = traces.get(2);
        assertThat(actions(t3)).containsExactly("user_prompt", "turn_failed");
        assertThat(t3.body().path("errors")).hasSize(1);
        assertThat(t3.body().path("errors").get(0).path("error_type").asText()).isEqualTo("APIError");
        assertThat(t3.body().path("errors").get(0).path("message").asText()).contains("e2e: injected failure");

        assertUsage(t1, openai.modelCalls("E2E-CP1"));
        assertUsage(t2, openai.modelCalls("E2E-CP2"));
        assertThat(t3.body().path("llm_usage").path("api_calls_count").asInt()).isZero();
        for (ReceivedTrace t : traces) {
            assertThat(t.header("x-agent-id")).isEqualTo(AGENT);
            assertThat(t.header("x-agent-key")).isEqualTo(SECRET);
            assertThat(t.header("user-agent")).startsWith("infinium-java-connector/");
            JsonNode env = t.body().path("environment");
            assertThat(env.path("framework").asText()).isEqualTo("copilot-cli");
            assertThat(env.path("session_id").asText()).isEqualTo(sessionId);
            String body = t.body().toString();
            assertThat(body).as("no secret in a trace").doesNotContain(CopilotRun.API_KEY).doesNotContain(SECRET);
        }
        for (ReceivedTrace t : List.of(t1, t2)) {
            assertThat(t.body().path("environment").path("model").asText()).isEqualTo(CopilotRun.MODEL);
            assertThat(t.body().path("llm_usage").path("provider").asText()).isEqualTo("openai");
        }
        assertThat(new HashSet<>(traces.stream().map(ReceivedTrace::idempotencyKey).toList())).hasSize(3);
    }

    static List<String> actions(ReceivedTrace t) {
        List<String> out = new ArrayList<>();
        t.body().path("steps").forEach(s -> out.add(s.path("action").asText()));
        return out;
    }

    /** The turn's usage is exactly what the fake served for it, each response once. */
    static void assertUsage(ReceivedTrace t, List<ApiCall> calls) {
        long input = 0;
        long output = 0;
        for (ApiCall c : calls) {
            assertThat(c.usage()).as("%s asked for usage", c).isNotNull();
            input += c.usage().inputTokens();
            output += c.usage().outputTokens();
        }
        JsonNode u = t.body().path("llm_usage");
        assertThat(u.path("prompt_tokens").asLong()).as("input tokens of %s", t.name()).isEqualTo(input);
        assertThat(u.path("completion_tokens").asLong()).isEqualTo(output);
        assertThat(u.path("api_calls_count").asInt()).isEqualTo(calls.size());
    }
}
