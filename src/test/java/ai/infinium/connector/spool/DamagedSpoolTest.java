package ai.infinium.connector.spool;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TraceSteps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad bytes in a spool (invalid UTF-8, garbage, a cut-short line) cost those lines, never the session. */
class DamagedSpoolTest {
    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;

    @BeforeEach
    void setUp() {
        api = FakeInfiniumApi.start("agent-sp", "secret-of-agent-sp");
        env = new TestEnv(tmp).sendingTo(api);
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    byte[] event(String name, String extra) {
        return ("{\"session_id\":\"dmg\",\"cwd\":\"" + tmp + "\",\"prompt_id\":\"p1\",\"hook_event_name\":\"" + name + "\""
                + extra + "}").getBytes();
    }

    @Test
    void damagedLinesAreSkippedAndTheTurnStillArrives() throws Exception {
        env.hook("claude-code", event("UserPromptSubmit", ",\"prompt\":\"survive the damage\""));
        Path spool = env.dirs().sessions().resolve("claude-code/dmg.jsonl");
        Files.write(spool, new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'},
                StandardOpenOption.APPEND);
        Files.write(spool, "\u0000\u0001garbage that is not json\n".getBytes(), StandardOpenOption.APPEND);
        Files.write(spool, "{\"hook_event_name\":\"PostToolUse\",\"session_id\":\"dm".getBytes(), StandardOpenOption.APPEND);
        env.hook("claude-code", event("PostToolUseFailure", ",\"tool_name\":\"Bash\",\"tool_use_id\":\"t1\","
                + "\"tool_input\":{\"command\":\"make\"},\"error\":\"Exit code 2\""));
        env.hook("claude-code", event("Stop", ",\"last_assistant_message\":\"done\""));

        List<ReceivedTrace> traces = api.awaitTraces(1, Duration.ofSeconds(10));
        assertThat(traces).hasSize(1);
        assertThat(TraceSteps.of(traces.get(0))).containsExactly("user_prompt | User prompt | in=survive the damage",
                "tool_use | Tool: Bash | in=make | out=Exit code 2 | ERROR ToolError: Exit code 2",
                "assistant_response | Assistant response | out=done");
        assertThat(Files.readString(env.dirs().state().resolve("infinium.log")))
                .as("counted, once: the cut-short line became whole-but-broken when the next event started a line")
                .contains("3 damaged line(s) in " + spool + " skipped");
    }
}
