package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.ResponsesReply.reply;
import static ai.infinium.connector.e2e.ResponsesReply.shell;
import static ai.infinium.connector.e2e.ResponsesReply.text;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.e2e.CodexRun.Result;
import ai.infinium.connector.e2e.FakeResponsesApi.ApiCall;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Codex acceptance test: `infinium init --agent codex` in a project, then a real Codex CLI
 * 0.169.0 session of two turns (`codex exec`, then `codex exec resume --last`), offline against a
 * loopback Responses API, with the hooks init installed, and the traces at the loopback Infinium API.
 */
@Tag("e2e")
class CodexEndToEndE2ETest {
    static final String AGENT = "agent-codex-e2e";
    static final String SECRET = "codex-e2e-secret-771";

    @TempDir Path work;
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    FakeResponsesApi openai;
    FakeInfiniumApi infinium;
    CodexRun codex;
    TestEnv connector;

    @BeforeEach
    void setUp() throws Exception {
        openai = FakeResponsesApi.start();
        infinium = FakeInfiniumApi.start(AGENT, SECRET);
        connector = new TestEnv(work.resolve("connector"))
                .with("INFINIUM_LAUNCHER", Path.of("bin", "infinium").toAbsolutePath().toString());
        CodexRun.Builder b = CodexRun.builder(work).baseUrl(openai.baseUrl());
        for (String k : List.of("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "CONNECTOR_SESSION_DIR",
                "INFINIUM_SERVER_PORT", "INFINIUM_SERVER_IDLE_TIMEOUT")) {
            b.env(k, connector.env().get(k));
        }
        codex = b.build();
        connector.with("CODEX_HOME", codex.codexHome().toString());
        TestEnv.Result init = connector.run(codex.projectDir(), "init", "--no-interactive", "--agent", "codex",
                "--trust-project", "--agent-id", AGENT, "--agent-secret", SECRET, "--base-url", infinium.baseUrl());
        assertThat(init.code()).as(init.toString()).isZero();
    }

    @AfterEach
    void tearDown() {
        connector.run(work, "server", "stop");
        openai.close();
        infinium.close();
    }

    @Test
    void twoTurnsArriveAsTwoTracesWithTheFailingCommandAndPerTurnUsage() throws Exception {
        openai.script("E2E-CX1",
                reply(text("Running a command."), shell("echo hello")),
                reply(shell("exit 3")),
                reply(text("Done: echo worked and exit 3 failed.")));
        openai.script("E2E-CX2", reply(text("Second turn done.")));

        Result first = codex.exec("E2E-CX1 run echo hello, then a failing command.");
        assertThat(first.exitCode()).as("%s", first).isZero();
        infinium.awaitTraces(1, Duration.ofSeconds(90));
        Result second = codex.resumeLast("E2E-CX2 one more thing.");
        assertThat(second.exitCode()).as("%s", second).isZero();
        List<ReceivedTrace> traces = infinium.awaitTraces(2, Duration.ofSeconds(90));
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(infinium.traces()).as("one trace per turn").hasSize(2);

        ReceivedTrace t1 = traces.get(0);
        assertThat(t1.name()).isEqualTo("E2E-CX1 run echo hello, then …");
        JsonNode steps = t1.body().path("steps");
        assertThat(actions(t1)).containsExactly("user_prompt", "tool_use", "tool_use", "assistant_response");
        for (JsonNode s : steps) {
            assertThat(s.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        }
        assertThat(steps.get(1).path("input_preview").asText()).isEqualTo("echo hello");
        assertThat(steps.get(1).path("output_preview").asText()).isEqualTo("hello");
        assertThat(steps.get(2).path("input_preview").asText()).isEqualTo("exit 3");
        assertThat(steps.get(2).path("error").path("message").asText()).isEqualTo("Command failed with exit code 3");
        assertThat(t1.body().path("errors")).hasSize(1);
        assertThat(t1.body().path("errors").get(0).path("error_type").asText()).isEqualTo("ToolError");

        ReceivedTrace t2 = traces.get(1);
        assertThat(actions(t2)).containsExactly("user_prompt", "assistant_response");
        assertThat(t2.body().path("environment").path("session_source").asText()).isEqualTo("resume");

        ServedUsage.assertCounted(t1, served(openai.modelCalls("E2E-CX1")));
        ServedUsage.assertCounted(t2, served(openai.modelCalls("E2E-CX2")));
        for (ReceivedTrace t : traces) {
            assertThat(t.body().path("environment").path("framework").asText()).isEqualTo("codex-cli");
            assertThat(t.body().path("environment").path("session_id").asText()).isEqualTo(first.threadId());
            assertThat(t.body().path("llm_usage").path("provider").asText()).isEqualTo("openai");
            assertThat(t.header("x-agent-key")).isEqualTo(SECRET);
        }
        assertThat(t1.idempotencyKey()).isNotEqualTo(t2.idempotencyKey());

        // init's default (server mode): the first hook started the server and the launcher
        // forwarded the later ones to it instead of starting a JVM each.
        TestEnv.Result status = connector.run(work, "server", "status", "--json");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(JSON.readTree(status.out()).path("events_received").asLong()).as(status.out()).isGreaterThan(5);
    }

    static List<FakeResponsesApi.Usage> served(List<ApiCall> calls) {
        return calls.stream().map(ApiCall::usage).toList();
    }

    static List<String> actions(ReceivedTrace t) {
        List<String> out = new ArrayList<>();
        t.body().path("steps").forEach(s -> out.add(s.path("action").asText()));
        return out;
    }
}
