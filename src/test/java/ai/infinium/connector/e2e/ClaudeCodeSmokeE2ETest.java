package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.FakeReply.failure;
import static ai.infinium.connector.e2e.FakeReply.reply;
import static ai.infinium.connector.e2e.FakeReply.text;
import static ai.infinium.connector.e2e.FakeReply.toolUse;
import static ai.infinium.connector.e2e.HookRecorder.count;
import static ai.infinium.connector.e2e.HookRecorder.event;
import static ai.infinium.connector.e2e.HookRecorder.names;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.e2e.ClaudeCodeRun.Result;
import ai.infinium.connector.e2e.FakeAnthropicApi.ApiCall;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the harness: the real Claude Code CLI runs offline against {@link FakeAnthropicApi},
 * executes the scripted tool calls, keeps a session across two {@code -p} runs, and fires the
 * command hooks of {@code .claude/settings.local.json}, which a plain shell command records.
 */
@Tag("e2e")
class ClaudeCodeSmokeE2ETest {

    private static final List<String> HOOKED_EVENTS = List.of("SessionStart", "UserPromptSubmit", "PreToolUse",
            "PostToolUse", "PostToolUseFailure", "Stop", "StopFailure", "SessionEnd", "SubagentStart", "SubagentStop");

    /**
     * How long a recorded hook may lag behind the CLI's exit. When {@code -p} exits it sends SIGTERM
     * to hooks still running (StopFailure hooks about 50 ms after they start, SessionEnd hooks after
     * 1.5 s) and does not wait for them; the recorder ignores the signal and finishes on its own.
     */
    private static final Duration HOOK_LAG = Duration.ofSeconds(10);

    @TempDir
    Path work;

    @AutoClose
    private FakeAnthropicApi fake;
    private ClaudeCodeRun claude;
    private HookRecorder recorder;

    @BeforeEach
    void setUp() throws Exception {
        fake = FakeAnthropicApi.start();
        claude = ClaudeCodeRun.builder(work)
                .baseUrl(fake.baseUrl())
                // An injected 529 then fails the turn after one call, not after ten backed-off retries.
                .env("CLAUDE_CODE_MAX_RETRIES", "0")
                .build();
        recorder = new HookRecorder(work.resolve("events.jsonl"), HOOK_LAG);
        // The project's local settings, every event recorded.
        recorder.writeConfig(claude.projectDir().resolve(".claude").resolve("settings.local.json"), HOOKED_EVENTS,
                event -> 30);
    }

    @Test
    void twoTurnsOfOneSessionFireTheHooksAndWriteTheTranscript() throws Exception {
        fake.script("SMOKE-TURN1",
                reply(text("Running a command."), toolUse("Bash", Map.of("command", "echo hello", "description", "Print hello"))),
                reply(toolUse("Bash", Map.of("command", "exit 3", "description", "Fail on purpose"))),
                reply(text("Done: echo worked and exit 3 failed.")));
        fake.script("SMOKE-TURN2", reply(text("Second turn done.")));

        Result first = claude.prompt("SMOKE-TURN1 run echo hello, then a failing command.");
        assertThat(first.exitCode()).as("%s", first).isZero();
        String sessionId = first.sessionId();

        Result second = claude.continueLast("SMOKE-TURN2 one more thing.");
        assertThat(second.exitCode()).as("%s", second).isZero();
        assertThat(second.sessionId()).as("--continue keeps the session").isEqualTo(sessionId);

        // One model call per script step, nothing unscripted, nothing but model calls.
        assertThat(fake.calls()).as(fake.describeCalls()).allSatisfy(call -> {
            assertThat(call.kind()).isEqualTo(FakeAnthropicApi.Kind.MODEL);
            assertThat(call.status()).isEqualTo(200);
            assertThat(call.streamed()).isTrue();
            assertThat(call.sessionId()).isEqualTo(sessionId);
        });
        assertThat(fake.modelCalls("SMOKE-TURN1")).extracting(ApiCall::replyIndex).containsExactly(0, 1, 2);
        assertThat(fake.modelCalls("SMOKE-TURN2")).extracting(ApiCall::replyIndex).containsExactly(0);
        assertThat(fake.modelCalls()).hasSize(4);

        List<JsonNode> hooks = recorder.await(h -> count(h, "SessionEnd") == 2);
        assertThat(names(hooks)).containsExactly(
                "SessionStart", "UserPromptSubmit",
                "PreToolUse", "PostToolUse",
                "PreToolUse", "PostToolUseFailure",
                "Stop", "SessionEnd",
                "SessionStart", "UserPromptSubmit", "Stop", "SessionEnd");
        assertThat(hooks).extracting(h -> h.path("session_id").asText()).containsOnly(sessionId);
        assertThat(event(hooks, "PostToolUseFailure").path("tool_input").path("command").asText()).isEqualTo("exit 3");
        assertThat(hooks).filteredOn(h -> h.path("hook_event_name").asText().equals("SessionStart"))
                .extracting(h -> h.path("source").asText())
                .containsExactly("startup", "resume");

        Path transcript = claude.transcript(sessionId).orElseThrow(() -> new AssertionError("no transcript"));
        assertThat(transcript).startsWith(claude.configDir().resolve("projects"));
        assertThat(hooks).extracting(h -> h.path("transcript_path").asText()).containsOnly(transcript.toString());
        // The transcript keeps the fake's message and request ids: what a tracer dedupes usage by.
        String lines = Files.readString(transcript, StandardCharsets.UTF_8);
        for (ApiCall call : fake.modelCalls()) {
            assertThat(lines).contains(call.messageId(), call.requestId());
        }
    }

    @Test
    void anApiErrorEndsTheTurnWithStopFailure() throws Exception {
        fake.script("SMOKE-APIERROR", failure(529));

        Result run = claude.prompt("SMOKE-APIERROR this call fails.");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(1);
        assertThat(run.results()).singleElement().satisfies(result -> {
            assertThat(result.path("is_error").asBoolean()).isTrue();
            assertThat(result.path("terminal_reason").asText()).isEqualTo("api_error");
        });
        assertThat(fake.calls()).as(fake.describeCalls()).singleElement()
                .satisfies(call -> assertThat(call.status()).isEqualTo(529));

        List<JsonNode> hooks = recorder.await(h -> count(h, "StopFailure") == 1 && count(h, "SessionEnd") == 1);
        // No Stop; StopFailure and SessionEnd may land in either order (see HOOK_LAG).
        assertThat(names(hooks)).hasSize(4).startsWith("SessionStart", "UserPromptSubmit")
                .containsOnlyOnce("StopFailure", "SessionEnd");
        JsonNode stopFailure = event(hooks, "StopFailure");
        assertThat(stopFailure.path("session_id").asText()).isEqualTo(run.sessionId());
        assertThat(stopFailure.path("error").asText()).isEqualTo("server_error");
        assertThat(stopFailure.path("last_assistant_message").asText()).contains("529");
    }
}
