package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.ResponsesReply.reply;
import static ai.infinium.connector.e2e.ResponsesReply.text;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.e2e.CodexRun.Result;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
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
 * The infinium Codex plugin, installed into the real Codex CLI 0.169.0 from this repository's
 * directory ({@code codex plugin marketplace add}, {@code codex plugin add}; a directory marketplace
 * needs no network) in a throwaway CODEX_HOME, its hooks trusted as a person does it: in the review
 * dialog Codex's TUI opens at start, in a real terminal. Offline against a loopback Responses API, a
 * project set up with {@code infinium init --no-hooks} is then traced once per turn with nothing in
 * its {@code .codex/}; before the trust step Codex runs none of the plugin's hooks.
 */
@Tag("e2e")
class CodexPluginE2ETest {
    static final String AGENT = "agent-codex-plugin-e2e";
    static final String SECRET = "codex-plugin-e2e-secret-5";
    static final String PLUGIN = "infinium@infinium";
    static final ObjectMapper JSON = new ObjectMapper();
    /** What Codex's screens take to come up or change after a key: it draws at once, a slow machine aside. */
    static final Duration SCREEN_WAIT = Duration.ofSeconds(30);

    @TempDir Path work;
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
        // Plugins on (CodexConfig turns them off for the other tests); hook trust as a user has it,
        // no bypass. The project is trusted only so that Codex asks nothing else at start: the
        // plugin's hooks are the user's, not the project's.
        CodexRun.Builder b = CodexRun.builder(work).baseUrl(openai.baseUrl()).feature("plugins", true)
                .bypassHookTrust(false).trustProject();
        // The hook finds the launcher init recorded under XDG_CONFIG_HOME, and spools where the connector looks.
        for (String k : List.of("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "CONNECTOR_SESSION_DIR")) {
            b.env(k, connector.env().get(k));
        }
        codex = b.build();
        connector.with("CODEX_HOME", codex.codexHome().toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        connector.run(work, "server", "stop");
        openai.close();
        infinium.close();
        assertThat(codex.stopDaemons()).as("no Codex app-server daemon outlives the test").isEmpty();
        // The TUI's session ends when it is left: its SessionEnd hook starts a flush worker late, and
        // a worker still writing into the temp folder would make its deletion fail (seen once in a fresh-clone .ci/run here).
        assertThat(connector.awaitOwnProcessesGone(Duration.ofSeconds(60))).as("no worker of ours left running").isEmpty();
    }

    @Test
    void installedAndTrustedInTheTuiThePluginTracesATurnOnce() throws Exception {
        TestEnv.Result init = connector.run(codex.projectDir(), "init", "--no-interactive", "--no-hooks", "--agent-id",
                AGENT, "--agent-secret", SECRET, "--base-url", infinium.baseUrl());
        assertThat(init.code()).as(init.toString()).isZero();

        Path repo = Path.of("").toAbsolutePath();
        Result add = codex.cli("plugin", "marketplace", "add", repo.toString());
        assertThat(add.exitCode()).as("%s", add).isZero();
        Result install = codex.cli("plugin", "add", PLUGIN);
        assertThat(install.exitCode()).as("%s", install).isZero();
        // Seen with 0.169.0: the plugin is copied into the cache and enabled for the user in config.toml.
        Path cached = codex.codexHome().resolve("plugins/cache/infinium/infinium/0.1.0");
        assertThat(cached.resolve("hooks/infinium-hook")).isExecutable();
        assertThat(Files.readString(codex.configToml())).contains("[plugins.\"" + PLUGIN + "\"]\nenabled = true");
        assertThat(pluginStatus().path("plugin_trust").asText()).startsWith("plugin hooks trusted in Codex: 0/14");

        // Not yet trusted: Codex skips the plugin's hooks without a word, so nothing is recorded.
        openai.script("PLUGIN-CX0", reply(text("Nobody traces this one.")));
        Result untrusted = codex.exec("PLUGIN-CX0 say hello.");
        assertThat(untrusted.exitCode()).as("%s", untrusted).isZero();
        assertThat(spooledEvents(untrusted.threadId())).as("no hook ran before the trust step").isEmpty();

        trustAllHooksInTheTui(14, cached);
        assertThat(pluginStatus().path("plugin_trust").asText()).isEqualTo("plugin hooks trusted in Codex (14/14)");

        openai.script("PLUGIN-CX1", reply(text("Hello from a plugin-traced Codex turn.")));
        Result turn = codex.exec("PLUGIN-CX1 say hello.");
        assertThat(turn.exitCode()).as("%s", turn).isZero();
        List<ReceivedTrace> traces = infinium.awaitTraces(1, Duration.ofSeconds(90));
        assertThat(traces.get(0).name()).startsWith("PLUGIN-CX1");
        assertThat(traces.get(0).body().path("environment").path("framework").asText()).isEqualTo("codex-cli");
        assertThat(traces.get(0).body().path("environment").path("session_id").asText()).isEqualTo(turn.threadId());
        assertThat(spooledEvents(turn.threadId())).as("each event recorded once")
                .containsOnlyOnce("SessionStart", "UserPromptSubmit", "Stop");
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(infinium.traces()).as("one trace: the untrusted session left none").hasSize(1);
        assertThat(codex.projectDir().resolve(".codex/hooks.json")).as("nothing in the project's .codex/").doesNotExist();

        TestEnv.Result status = connector.run(codex.projectDir(), "status");
        assertThat(status.out()).contains("Codex: hooks from the plugin " + PLUGIN);
    }

    /** Field notes' "double delivery": the plugin's hooks and init's in .codex/hooks.json both fire. */
    @Test
    void besideInitsCodexHooksTheTurnIsStillRecordedOnce() throws Exception {
        TestEnv.Result init = connector.run(codex.projectDir(), "init", "--no-interactive", "--agent", "codex",
                "--mode", "command", "--agent-id", AGENT, "--agent-secret", SECRET, "--base-url", infinium.baseUrl());
        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(codex.cli("plugin", "marketplace", "add", Path.of("").toAbsolutePath().toString()).exitCode()).isZero();
        assertThat(codex.cli("plugin", "add", PLUGIN).exitCode()).isZero();
        trustAllHooksInTheTui(28, null); // init's 14 and the plugin's 14, every one run on each event

        openai.script("PLUGIN-CXBOTH", reply(text("Hooked twice, recorded once.")));
        Result turn = codex.exec("PLUGIN-CXBOTH say hello.");
        assertThat(turn.exitCode()).as("%s", turn).isZero();
        infinium.awaitTraces(1, Duration.ofSeconds(90));
        assertThat(spooledEvents(turn.threadId())).containsOnlyOnce("SessionStart", "UserPromptSubmit", "Stop");
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(infinium.traces()).hasSize(1);
        TestEnv.Result status = connector.run(codex.projectDir(), "status");
        assertThat(status.out()).contains("hooks installed both by the plugin (" + PLUGIN + ") and in "
                + codex.projectDir().resolve(".codex/hooks.json"));
    }

    /**
     * What a person does the first time: Codex opens "Hooks need review" at start; Review hooks, look
     * at one (with {@code cached}: its source is the plugin, its command the cached script), back,
     * `t` trusts all, leave.
     */
    void trustAllHooksInTheTui(int hooks, Path cached) throws Exception {
        try (TmuxTerminal tui = codex.terminal(160, 45)) {
            tui.await("the review dialog at start", SCREEN_WAIT, s -> s.contains("Hooks need review")
                    && s.contains(hooks + " hooks are new or changed") && s.contains("› 1. Review hooks"));
            tui.pressUntil("Enter", "the hooks table", SCREEN_WAIT, Duration.ofSeconds(3),
                    s -> s.contains(hooks + " hooks need review before they can run") && s.contains("t trust all"));
            if (cached != null) {
                tui.press("Enter");
                String details = tui.await("one hook's details", SCREEN_WAIT, s -> s.contains("Plugin - " + PLUGIN));
                assertThat(details).contains(cached.resolve("hooks/infinium-hook").toString());
                tui.press("Escape");
                tui.await("the hooks table again", SCREEN_WAIT, s -> s.contains("t trust all"));
            }
            tui.press("t");
            tui.await("every hook active", SCREEN_WAIT, s -> !s.contains("need review") && s.contains("esc close"));
            tui.press("Escape");
            tui.await("the prompt box", SCREEN_WAIT, s -> s.contains("Ask Codex to do anything"));
            tui.press("C-c");
            assertThat(tui.awaitExit("Ctrl-C", SCREEN_WAIT)).isZero();
        }
        codex.removeHelperLinks();
    }

    JsonNode pluginStatus() throws Exception {
        TestEnv.Result status = connector.run(codex.projectDir(), "status", "--json");
        return JSON.readTree(status.out()).path("hooks").path("codex");
    }

    /** The hook event names in the spool of Codex session {@code threadId}; empty when none was recorded. */
    List<String> spooledEvents(String threadId) throws Exception {
        Path spool = connector.dirs().sessions().resolve("codex").resolve(threadId + ".jsonl");
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(spool)) {
            return out;
        }
        for (String line : Files.readAllLines(spool)) {
            JsonNode l = JSON.readTree(line);
            if (!l.has("recovered")) {
                out.add(l.path("event").path("hook_event_name").asText());
            }
        }
        return out;
    }
}
