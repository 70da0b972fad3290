package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir Path tmp;

    @Test
    void helpVersionAndUnknownCommandsHaveMeaningfulExitCodes() {
        TestEnv env = new TestEnv(tmp);
        TestEnv.Result help = env.run(tmp, "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("init").contains("status").contains("demo").contains("Exit codes");
        assertThat(env.run(tmp).code()).isEqualTo(2);
        assertThat(env.run(tmp, "--version").out()).startsWith("infinium ");
        TestEnv.Result unknown = env.run(tmp, "frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown command 'frobnicate'");
        assertThat(unknown.err()).as("nothing close: no guess").doesNotContain("Did you mean");
        TestEnv.Result typo = env.run(tmp, "stauts");
        assertThat(typo.code()).isEqualTo(2);
        TestEnv.Result version = env.with("INFINIUM_LAUNCHED", "start-up archive: aot /a.aot (used)")
                .run(tmp, "--version");
        assertThat(version.out()).startsWith("infinium ").contains("Java:    ").contains(System.getProperty("java.home"))
                .contains("Launch:  start-up archive: aot /a.aot (used)");
        assertThat(typo.err()).contains("unknown command 'stauts'. Did you mean `infinium status`?");
        assertThat(env.run(tmp, "unistall").err()).contains("Did you mean `infinium uninstall`?");
        assertThat(env.run(tmp, "tset").err()).contains("Did you mean `infinium test`?");
        assertThat(env.run(tmp, "history", "--help").out()).contains("--limit");
        assertThat(env.run(tmp, "history", "-n", "x").code()).isEqualTo(2);
    }

    @Test
    void testCommandSendsATraceAndFailsClearlyWhenRejected() throws Exception {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-t", "secret-test-1")) {
            TestEnv env = new TestEnv(tmp).sendingTo(api);
            TestEnv.Result ok = env.run(tmp, "test", "-v");
            assertThat(ok.code()).as(ok.toString()).isZero();
            assertThat(ok.out()).contains("OK").contains("\"name\" : \"infinium connection test\"")
                    .doesNotContain("secret-test-1");
            assertThat(api.traces()).hasSize(1);

            env.with("INFINIUM_AGENT_SECRET", "wrong-secret-99");
            TestEnv.Result bad = env.run(tmp, "test");
            assertThat(bad.code()).isEqualTo(1);
            assertThat(bad.err()).contains("401").contains("infinium init");

            env.with("INFINIUM_AGENT_ID", null).with("INFINIUM_AGENT_SECRET", null);
            TestEnv.Result none = env.run(tmp, "test");
            assertThat(none.code()).isEqualTo(1);
            assertThat(none.err()).contains("infinium init");
        }
    }

    /**
     * A person runs `test` and waits: against an API that never answers it tries twice, says so
     * as it goes, and gives up naming the host, port and timeout (in production 2 × 15 s and a
     * 1 s pause; here the test exporter's 3 s timeout).
     */
    @Test
    void testAgainstAnApiThatNeverAnswersGivesUpSayingWhereAndHowLong() throws Exception {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-t", "secret-test-1")) {
            TestEnv env = new TestEnv(tmp).sendingTo(api);
            for (int i = 0; i < 4; i++) {
                api.delayNext(java.time.Duration.ofSeconds(30));
            }
            TestEnv.Result r = env.run(tmp, "test");
            assertThat(r.code()).isEqualTo(1);
            String where = "127.0.0.1:" + api.port();
            assertThat(r.out()).contains("attempt 1 of 2: no answer from " + where + " within 3 s; trying again in");
            assertThat(r.err()).contains("no answer from " + where + " within 3 s");
            assertThat(api.requests()).as("two attempts, not four").hasSize(2);
        }
    }

    @Test
    void historyListsLimitsAndClears() throws Exception {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-h", "secret-hist-1")) {
            TestEnv env = new TestEnv(tmp).sendingTo(api);
            for (int turn = 1; turn <= 3; turn++) {
                String p = "p" + turn;
                env.hook("claude-code", ("{\"session_id\":\"s\",\"cwd\":\"" + tmp + "\",\"prompt_id\":\"" + p
                        + "\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"prompt number " + turn + "\"}").getBytes());
                env.hook("claude-code", ("{\"session_id\":\"s\",\"cwd\":\"" + tmp + "\",\"prompt_id\":\"" + p
                        + "\",\"hook_event_name\":\"Stop\",\"last_assistant_message\":\"ok\"}").getBytes());
            }
            TestEnv.Result table = env.run(tmp, "history", "-n", "2");
            assertThat(table.out()).contains("prompt number 3").contains("prompt number 2").doesNotContain("prompt number 1");
            TestEnv.Result json = env.run(tmp, "history", "--json");
            assertThat(json.out().lines().toList()).hasSize(3);
            assertThat(new ObjectMapper().readTree(json.out().lines().findFirst().orElseThrow()).path("trace_id").asText())
                    .isNotBlank();
            TestEnv.Result kept = env.runWithInput(tmp, "n\n", "history", "--clear");
            assertThat(kept.code()).as("asked, and answered no").isEqualTo(1);
            assertThat(kept.err()).contains("Delete the history of 3 delivered trace(s)?");
            assertThat(env.run(tmp, "history", "--clear").code()).as("no answer at all: kept").isEqualTo(1);
            assertThat(env.run(tmp, "history", "--json").out().lines().toList()).hasSize(3);
            assertThat(env.runWithInput(tmp, "y\n", "history", "--clear").code()).isZero();
            assertThat(env.run(tmp, "history").out()).contains("No traces delivered yet");
            assertThat(env.run(tmp, "history", "--clear", "-y").code()).as("-y: no question").isZero();
            assertThat(env.run(tmp, "history").out()).contains("No traces delivered yet");
        }
    }

    @Test
    void demoDeliversTheRecordedSession() {
        TestEnv env = new TestEnv(tmp);
        TestEnv.Result r = env.run(tmp, "demo");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("2 trace(s) delivered").contains("\"name\" : \"HARNESS-TURN1 Please run echo…\"")
                .contains("ToolError");
    }
}
