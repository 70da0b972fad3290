package ai.infinium.connector.flush;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session's {@code .state.json} cut short (a crash, a full disk): it is moved aside and rebuilt
 * from what the history and outbox show was sent, so the turns already delivered are not sent
 * again and the later ones still are.
 */
class DamagedStateTest {
    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;

    @BeforeEach
    void setUp() {
        api = FakeInfiniumApi.start("agent-st", "secret-of-agent-st");
        env = new TestEnv(tmp).sendingTo(api);
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    void turn(String promptId, String prompt) {
        env.hook("claude-code", ("{\"session_id\":\"st\",\"cwd\":\"" + tmp + "\",\"prompt_id\":\"" + promptId
                + "\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"" + prompt + "\"}").getBytes());
        env.hook("claude-code", ("{\"session_id\":\"st\",\"cwd\":\"" + tmp + "\",\"prompt_id\":\"" + promptId
                + "\",\"hook_event_name\":\"Stop\",\"last_assistant_message\":\"ok " + prompt + "\"}").getBytes());
    }

    @Test
    void aTruncatedStateSendsNothingTwiceAndLosesNoLaterTurn() throws Exception {
        turn("p1", "first turn");
        api.awaitTraces(1, Duration.ofSeconds(10));
        Path state = env.dirs().sessions().resolve("claude-code/st.state.json");
        String whole = Files.readString(state);
        Files.writeString(state, whole.substring(0, whole.length() / 2));

        turn("p2", "second turn");
        turn("p3", "third turn");

        List<ReceivedTrace> traces = api.awaitTraces(3, Duration.ofSeconds(10));
        assertThat(traces).extracting(ReceivedTrace::name).containsExactly("first turn", "second turn", "third turn");
        assertThat(api.traces()).as("the first turn was not sent again").hasSize(3);
        assertThat(state.resolveSibling("st.state.json.damaged")).exists();
        assertThat(Files.readString(env.dirs().state().resolve("infinium.log")))
                .contains("st.state.json was damaged; moved aside").contains("1 trace(s) already queued or sent");
        TestEnv.Result status = env.run(tmp, "status");
        assertThat(status.out()).contains("1 session state file(s) were damaged and rebuilt")
                .contains(state.resolveSibling("st.state.json.damaged").toString());
        assertThat(env.run(tmp, "retry").code()).isZero();
        assertThat(env.run(tmp, "history").code()).isZero();
    }
}
