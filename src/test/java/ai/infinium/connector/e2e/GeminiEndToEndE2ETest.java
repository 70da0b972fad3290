package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.GeminiReply.readFile;
import static ai.infinium.connector.e2e.GeminiReply.reply;
import static ai.infinium.connector.e2e.GeminiReply.shell;
import static ai.infinium.connector.e2e.GeminiReply.text;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.e2e.FakeGeminiApi.ApiCall;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gemini CLI acceptance test: {@code infinium init --agent gemini}, then a real Gemini CLI
 * 0.61.0 session of two turns ({@code gemini -p}, then {@code gemini -p --resume latest}), offline
 * against a loopback Gemini API, with the hooks init put in the user's settings, and the traces at
 * the loopback Infinium API. Then {@code uninstall} gives the user's settings back as they were.
 */
@Tag("e2e")
class GeminiEndToEndE2ETest {
    static final String AGENT = "agent-gemini-e2e";
    static final String SECRET = "gemini-e2e-secret-5531";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path work;
    FakeGeminiApi google;
    FakeInfiniumApi infinium;
    GeminiRun gemini;
    TestEnv connector;

    @BeforeEach
    void setUp() throws Exception {
        google = FakeGeminiApi.start();
        infinium = FakeInfiniumApi.start(AGENT, SECRET);
        connector = new TestEnv(work.resolve("connector"))
                .with("INFINIUM_LAUNCHER", Path.of("bin", "infinium").toAbsolutePath().toString());
        GeminiRun.Builder b = GeminiRun.builder(work).baseUrl(google.baseUrl());
        for (String k : List.of("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "CONNECTOR_SESSION_DIR",
                "INFINIUM_SERVER_PORT", "INFINIUM_SERVER_IDLE_TIMEOUT")) {
            b.env(k, connector.env().get(k));
        }
        gemini = b.build();
        Files.writeString(gemini.projectDir().resolve("README.md"), "# E2E project\nRead by the read_file tool.\n");
        // Gemini reads the settings in HOME; GEMINI_CLI_HOME points the installer at the same file.
        connector.with("GEMINI_CLI_HOME", gemini.homeDir().toString());
        TestEnv.Result init = connector.run(gemini.projectDir(), "init", "--no-interactive", "--agent", "gemini",
                "--agent-id", AGENT, "--agent-secret", SECRET, "--base-url", infinium.baseUrl());
        assertThat(init.code()).as(init.toString()).isZero();
    }

    @AfterEach
    void tearDown() {
        connector.run(work, "server", "stop");
        google.close();
        infinium.close();
    }

    @Test
    void twoTurnsArriveAsTwoTracesWithTheFailingCommandAndWhatTheApiServed() throws Exception {
        google.script("E2E-GM1",
                reply(text("Running a command."), shell("echo hello")),
                reply(shell("echo e2e-fail >&2; exit 3")),
                reply(readFile("README.md")),
                reply(text("Done: echo worked, exit 3 failed and README.md was read.")));
        google.script("E2E-GM2", reply(text("Second turn done.")));

        GeminiRun.Result first = gemini.prompt("E2E-GM1 run echo hello, then a failing command, then read README.md.");
        assertThat(first.exitCode()).as("%s", first).isZero();
        infinium.awaitTraces(1, Duration.ofSeconds(90));
        GeminiRun.Result second = gemini.resumeLatest("E2E-GM2 one more thing.");
        assertThat(second.exitCode()).as("%s", second).isZero();
        assertThat(second.sessionId()).isEqualTo(first.sessionId());
        List<ReceivedTrace> traces = infinium.awaitTraces(2, Duration.ofSeconds(90));
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(infinium.traces()).as("one trace per turn").hasSize(2);

        ReceivedTrace t1 = traces.get(0);
        assertThat(actions(t1)).containsExactly("user_prompt", "tool_use", "tool_use", "tool_use", "assistant_response");
        JsonNode steps = t1.body().path("steps");
        assertThat(steps.get(1).path("input_preview").asText()).isEqualTo("echo hello");
        assertThat(steps.get(1).path("output_preview").asText()).isEqualTo("hello");
        assertThat(steps.get(2).path("input_preview").asText()).isEqualTo("echo e2e-fail >&2; exit 3");
        assertThat(steps.get(2).path("error").path("message").asText()).isEqualTo("Command failed with exit code 3");
        assertThat(steps.get(3).path("input_preview").asText()).isEqualTo("README.md");
        assertThat(steps.get(3).path("output_preview").asText()).contains("Read by the read_file tool.");
        assertThat(steps.get(4).path("output_preview").asText())
                .isEqualTo("Done: echo worked, exit 3 failed and README.md was read.");
        assertThat(t1.body().path("errors")).as("the failing command only").hasSize(1);
        assertThat(t1.body().path("errors").get(0).path("step_number").asInt()).isEqualTo(3);
        assertThat(toolCalls(google.servedModelCalls("E2E-GM1"))).as("a step per call the model made").isEqualTo(3);
        for (JsonNode s : steps) {
            assertThat(s.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        }

        ReceivedTrace t2 = traces.get(1);
        assertThat(actions(t2)).containsExactly("user_prompt", "assistant_response");
        assertThat(t2.body().path("steps").get(1).path("output_preview").asText()).isEqualTo("Second turn done.");
        assertThat(t2.body().path("environment").path("session_source").asText()).isEqualTo("resume");
        assertThat(t2.body().path("errors")).isEmpty();

        assertUsage(t1, google.servedModelCalls("E2E-GM1"));
        assertUsage(t2, google.servedModelCalls("E2E-GM2"));
        String model = google.servedModelCalls("E2E-GM1").get(0).model();
        for (ReceivedTrace t : traces) {
            JsonNode env = t.body().path("environment");
            assertThat(env.path("framework").asText()).isEqualTo("gemini-cli");
            assertThat(env.path("session_id").asText()).isEqualTo(first.sessionId());
            assertThat(env.path("model").asText()).isEqualTo(model);
            assertThat(t.body().path("llm_usage").path("provider").asText()).isEqualTo("google");
            assertThat(t.header("x-agent-id")).isEqualTo(AGENT);
            assertThat(t.header("x-agent-key")).isEqualTo(SECRET);
            assertThat(t.header("user-agent")).startsWith("infinium-java-connector/");
            String body = t.body().toString();
            assertThat(body).as("no secret in a trace").doesNotContain(GeminiRun.API_KEY).doesNotContain(SECRET);
        }
        assertThat(new HashSet<>(traces.stream().map(ReceivedTrace::idempotencyKey).toList())).hasSize(2);
        assertThat(google.calls()).as("nothing but model steps and the router:\n%s", google.describeCalls())
                .allMatch(c -> c.kind() != FakeGeminiApi.Kind.OTHER)
                .as("model auto: a router call per turn, whose tokens no file the hooks name records (README)")
                .filteredOn(c -> c.kind() == FakeGeminiApi.Kind.ROUTER).hasSize(2);

        for (GeminiRun.Result r : List.of(first, second)) {
            assertThat(r.output().stderr()).as("our hooks print nothing and never fail")
                    .doesNotContain("Hook system message").doesNotContain("Hook(s) [");
        }

        apiErrorTurnIsSentOnceWhenStale(first.sessionId());

        TestEnv.Result uninstall = connector.run(gemini.projectDir(), "uninstall", "-y");
        assertThat(uninstall.code()).as(uninstall.toString()).isZero();
        assertThat(JSON.readTree(gemini.settingsFile().toFile())).isEqualTo(JSON.readTree(GeminiRun.USER_SETTINGS));
    }

    /**
     * The API answers 400: Gemini ends the run with no AfterAgent and no SessionEnd, so no hook says
     * the turn is over. It stays in the spool and goes out once, when the session is stale, as a
     * failed turn (the chats file shows Gemini took the prompt back).
     */
    void apiErrorTurnIsSentOnceWhenStale(String sessionId) throws Exception {
        google.script("E2E-GM3", GeminiReply.failure(400));
        GeminiRun.Result failed = gemini.resumeLatest("E2E-GM3 this call fails.");
        assertThat(failed.exitCode()).as("%s", failed).isNotZero();
        assertThat(google.modelCalls("E2E-GM3")).as("a 400 is not retried").hasSize(1);
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(infinium.traces()).as("nothing ended the turn yet").hasSize(2);

        Path spool = connector.dirs().sessions().resolve("gemini").resolve(sessionId + ".jsonl");
        assertThat(spool).exists();
        Files.setLastModifiedTime(spool, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        connector.with("CONNECTOR_SESSION_TTL", "60");
        TestEnv.Result cleanup = connector.run(gemini.projectDir(), "cleanup");
        assertThat(cleanup.out()).as(cleanup.toString()).contains("Flushed and removed 1 stale session");
        ReceivedTrace t3 = infinium.awaitTraces(3, Duration.ofSeconds(30)).get(2);
        assertThat(actions(t3)).as("Gemini took the prompt back: the turn failed").containsExactly("user_prompt",
                "turn_failed");
        assertThat(t3.body().path("errors")).hasSize(1);
        assertThat(t3.body().path("errors").get(0).path("error_type").asText()).isEqualTo("APIError");
        assertThat(t3.body().path("description").asText()).isEqualTo("E2E-GM3 this call fails.");
        assertThat(t3.body().path("llm_usage").path("api_calls_count").asInt()).as("the failed call served nothing")
                .isZero();
        connector.run(gemini.projectDir(), "cleanup");
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(infinium.traces()).as("sent once").hasSize(3);
    }

    static List<String> actions(ReceivedTrace t) {
        List<String> out = new ArrayList<>();
        t.body().path("steps").forEach(s -> out.add(s.path("action").asText()));
        return out;
    }

    static long toolCalls(List<ApiCall> calls) {
        return calls.stream().flatMap(c -> c.served().stream()).filter(p -> p instanceof GeminiReply.FunctionCall)
                .count();
    }

    /**
     * The turn's usage is what the fake served its streamed replies, each once: prompt tokens, and
     * candidates plus thoughts as completion (the billed output; their sum is totalTokenCount).
     */
    static void assertUsage(ReceivedTrace t, List<ApiCall> calls) {
        long prompt = 0;
        long completion = 0;
        long total = 0;
        long cached = 0;
        for (ApiCall c : calls) {
            prompt += c.usage().promptTokens();
            completion += c.usage().candidatesTokens() + c.usage().thoughtsTokens();
            total += c.usage().totalTokens();
            cached += c.usage().cachedTokens();
        }
        JsonNode u = t.body().path("llm_usage");
        assertThat(u.path("prompt_tokens").asLong()).as("prompt tokens of %s", t.name()).isEqualTo(prompt);
        assertThat(u.path("completion_tokens").asLong()).isEqualTo(completion);
        assertThat(u.path("total_tokens").asLong()).isEqualTo(total);
        assertThat(u.path("api_calls_count").asInt()).isEqualTo(calls.size());
        assertThat(t.body().path("environment").path("custom_tags").path("cached_input_tokens").asLong()).isEqualTo(cached);
    }
}
