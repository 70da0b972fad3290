package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.HookRecorder.count;
import static ai.infinium.connector.e2e.HookRecorder.event;
import static ai.infinium.connector.e2e.HookRecorder.events;
import static ai.infinium.connector.e2e.HookRecorder.names;
import static ai.infinium.connector.e2e.ResponsesReply.failure;
import static ai.infinium.connector.e2e.ResponsesReply.reply;
import static ai.infinium.connector.e2e.ResponsesReply.shell;
import static ai.infinium.connector.e2e.ResponsesReply.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ai.infinium.connector.e2e.CodexRun.Result;
import ai.infinium.connector.e2e.FakeResponsesApi.ApiCall;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the harness: the real Codex CLI runs offline against {@link FakeResponsesApi}, executes
 * the scripted shell calls, keeps a session across {@code exec} and {@code exec resume --last}, and
 * fires the command hooks of the trusted project's {@code .codex/hooks.json}, which a plain shell
 * command records.
 */
@Tag("e2e")
class CodexSmokeE2ETest {

    private static final List<String> HOOKED_EVENTS = List.of("SessionStart", "UserPromptSubmit", "PreModelRequest",
            "PostModelRequest", "PreToolUse", "PostToolUse", "Stop", "SessionEnd");

    /**
     * How long a recorded hook may lag behind the CLI's exit. Codex 0.169.0 waits for its hooks,
     * SessionEnd's included (it kills a SessionEnd hook after 3 s), so all lines are normally written
     * when the process exits; the bound only keeps a broken run from hanging the test.
     */
    private static final Duration HOOK_LAG = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @AutoClose
    private FakeResponsesApi fake;
    private CodexRun codex;
    private HookRecorder recorder;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeResponsesApi.start();
        codex = CodexRun.builder(work)
                .baseUrl(fake.baseUrl())
                .feature("hooks", true)
                .trustProject()
                .build();
        recorder = new HookRecorder(work.resolve("events.jsonl"), HOOK_LAG);
        // The trusted project's hooks.json, every event recorded. Codex runs the hooks with bash -c;
        // SessionEnd hooks get 3 s, the most Codex allows (it clamps longer timeouts and warns
        // about it in the --json output).
        recorder.writeConfig(codex.projectDir().resolve(".codex").resolve("hooks.json"), HOOKED_EVENTS,
                event -> event.equals("SessionEnd") ? 3 : 30);
    }

    @Test
    void twoTurnsOfOneSessionFireTheHooksAndWriteTheRollout() throws Exception {
        fake.script("SMOKE-TURN1",
                reply(text("Running a command."), shell("echo hello")),
                reply(shell("exit 3")),
                reply(text("Done: echo worked and exit 3 failed.")));
        fake.script("SMOKE-TURN2", reply(text("Second turn done.")));
        String config = Files.readString(codex.configToml(), StandardCharsets.UTF_8);

        Result first = codex.exec("SMOKE-TURN1 run echo hello, then a failing command.");
        assertThat(first.exitCode()).as("%s", first).isZero();
        String threadId = first.threadId();
        assertThat(first.completedItems("command_execution"))
                .extracting(i -> i.path("exit_code").asInt(), i -> i.path("aggregated_output").asText())
                .containsExactly(tuple(0, "hello\n"), tuple(3, ""));

        Result second = codex.resumeLast("SMOKE-TURN2 one more thing.");
        assertThat(second.exitCode()).as("%s", second).isZero();
        assertThat(second.threadId()).as("exec resume --last keeps the thread").isEqualTo(threadId);
        assertThat(second.completedItems("agent_message")).extracting(i -> i.path("text").asText())
                .containsExactly("Second turn done.");
        assertThat(codex.configToml()).as("Codex leaves config.toml alone").hasContent(config);

        // One model call per script step, nothing unscripted, no other endpoint.
        assertThat(fake.calls()).as(fake.describeCalls()).allSatisfy(call -> {
            assertThat(call.kind()).isEqualTo(FakeResponsesApi.Kind.MODEL);
            assertThat(call.path()).isEqualTo("/v1/responses");
            assertThat(call.status()).isEqualTo(200);
            assertThat(call.streamed()).isTrue();
            assertThat(call.sessionId()).isEqualTo(threadId);
            assertThat(call.header("authorization")).isEqualTo("Bearer " + CodexRun.API_KEY);
        });
        assertThat(fake.modelCalls("SMOKE-TURN1")).extracting(ApiCall::replyIndex).containsExactly(0, 1, 2);
        assertThat(fake.modelCalls("SMOKE-TURN2")).extracting(ApiCall::replyIndex).containsExactly(0);
        assertThat(fake.modelCalls()).hasSize(4);
        assertThat(fake.modelCall("SMOKE-TURN1", 0).toolNames()).contains(ResponsesReply.SHELL_TOOL);

        List<JsonNode> hooks = recorder.await(h -> count(h, "SessionEnd") == 2);
        assertThat(names(hooks)).containsExactly(
                "SessionStart", "UserPromptSubmit",
                "PreModelRequest", "PostModelRequest", "PreToolUse", "PostToolUse",
                "PreModelRequest", "PostModelRequest", "PreToolUse", "PostToolUse",
                "PreModelRequest", "PostModelRequest", "Stop", "SessionEnd",
                "SessionStart", "UserPromptSubmit", "PreModelRequest", "PostModelRequest", "Stop", "SessionEnd");
        assertThat(hooks).extracting(h -> h.path("session_id").asText()).containsOnly(threadId);
        assertThat(events(hooks, "SessionStart")).extracting(h -> h.path("source").asText())
                .containsExactly("startup", "resume");

        // Shell calls reach hooks as Bash with the command; tool_response is the output string, no exit code.
        String echoCallId = fake.modelCall("SMOKE-TURN1", 0).callIds().get(0);
        String failingCallId = fake.modelCall("SMOKE-TURN1", 1).callIds().get(0);
        List<JsonNode> postToolUse = events(hooks, "PostToolUse");
        assertThat(postToolUse).extracting(h -> h.path("tool_name").asText()).containsOnly("Bash");
        assertThat(postToolUse).extracting(h -> h.path("tool_use_id").asText()).containsExactly(echoCallId, failingCallId);
        assertThat(postToolUse).extracting(h -> h.path("tool_input").path("command").asText())
                .containsExactly("echo hello", "exit 3");
        assertThat(postToolUse).extracting(h -> h.path("tool_response"))
                .containsExactly(JSON.getNodeFactory().textNode("hello\n"), JSON.getNodeFactory().textNode(""));

        // PostModelRequest reports exactly the usage the fake sent, per call.
        List<JsonNode> postModel = events(hooks, "PostModelRequest");
        List<ApiCall> modelCalls = fake.modelCalls();
        for (int i = 0; i < modelCalls.size(); i++) {
            FakeResponsesApi.Usage sent = modelCalls.get(i).usage();
            JsonNode reported = postModel.get(i);
            assertThat(reported.path("status").asText()).isEqualTo("completed");
            assertThat(reported.path("token_usage").path("input_tokens").asInt()).isEqualTo(sent.inputTokens());
            assertThat(reported.path("token_usage").path("cached_input_tokens").asInt()).isEqualTo(sent.cachedTokens());
            assertThat(reported.path("token_usage").path("output_tokens").asInt()).isEqualTo(sent.outputTokens());
            assertThat(reported.path("token_usage").path("reasoning_output_tokens").asInt()).isEqualTo(sent.reasoningTokens());
            assertThat(reported.path("token_usage").path("total_tokens").asInt()).isEqualTo(sent.totalTokens());
        }
        assertThat(event(hooks, "Stop").path("last_assistant_message").asText())
                .isEqualTo("Done: echo worked and exit 3 failed.");

        // The rollout: where the hooks point, with the exit code and one usage record per response.
        Path rolloutPath = codex.rollout(threadId).orElseThrow(() -> new AssertionError("no rollout"));
        assertThat(rolloutPath).startsWith(codex.codexHome().resolve("sessions"));
        assertThat(hooks).extracting(h -> h.path("transcript_path").asText()).containsOnly(rolloutPath.toString());
        CodexRolloutFile rollout = CodexRolloutFile.read(rolloutPath);
        assertThat(rollout.functionCallOutput(failingCallId)).hasValueSatisfying(
                output -> assertThat(output).contains("Process exited with code 3"));
        assertThat(rollout.functionCallOutput(echoCallId)).hasValueSatisfying(
                output -> assertThat(output).contains("Process exited with code 0").endsWith("hello\n"));
        assertThat(rollout.usageResponseIds()).containsExactlyElementsOf(
                modelCalls.stream().map(ApiCall::responseId).toList());
    }

    @Test
    void aServerErrorFailsTheTurnWithoutStop() throws Exception {
        JsonNode postModel = runFailingTurn(500);

        // Codex 0.169.0 shows a 5xx as a generic "high demand" message, not the error body.
        assertThat(postModel.path("error").asText()).isNotBlank().doesNotContain("injected");
    }

    @Test
    void aClientErrorReachesThePostModelRequestHookVerbatim() throws Exception {
        JsonNode postModel = runFailingTurn(400);

        // A 4xx is passed on as the response body, the OpenAI error JSON.
        JsonNode body = JSON.readTree(postModel.path("error").asText());
        assertThat(body.path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(body.path("error").path("message").asText()).isEqualTo("fake API: injected HTTP 400");
    }

    /**
     * Runs a turn whose only model call fails with {@code status}, checks what every failed turn
     * shows (exit 1, turn.failed, one call, PostModelRequest failed, SessionEnd, no Stop) and
     * returns the PostModelRequest hook's payload.
     */
    private JsonNode runFailingTurn(int status) throws Exception {
        fake.script("SMOKE-APIERROR", failure(status));

        Result run = codex.exec("SMOKE-APIERROR this call fails.");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
        // request_max_retries = 0: no retry.
        assertThat(fake.calls()).as(fake.describeCalls()).singleElement()
                .satisfies(call -> assertThat(call.status()).isEqualTo(status));

        List<JsonNode> hooks = recorder.await(h -> count(h, "SessionEnd") == 1);
        assertThat(names(hooks)).containsExactly(
                "SessionStart", "UserPromptSubmit", "PreModelRequest", "PostModelRequest", "SessionEnd");
        assertThat(hooks).extracting(h -> h.path("session_id").asText()).containsOnly(run.threadId());
        JsonNode postModel = event(hooks, "PostModelRequest");
        assertThat(postModel.path("status").asText()).isEqualTo("failed");
        assertThat(postModel.path("token_usage").isNull()).isTrue();
        // The --json output's turn.failed carries the same message as the hook.
        assertThat(run.events("turn.failed")).singleElement()
                .satisfies(e -> assertThat(e.path("error").path("message").asText())
                        .isEqualTo(postModel.path("error").asText()));
        return postModel;
    }
}
