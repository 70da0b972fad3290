package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.FakeReply.reply;
import static ai.infinium.connector.e2e.FakeReply.text;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.e2e.ClaudeCodeRun.Result;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The infinium Claude Code plugin, installed into the real Claude Code 2.1.330 from this
 * repository's directory ({@code claude plugin marketplace add}, {@code claude plugin install};
 * offline: a directory marketplace needs no network) in a throwaway config directory: a project set
 * up with {@code infinium init --no-hooks} is traced once per turn with no infinium hook in its
 * {@code .claude/}; beside init's own hooks still once; after {@code claude plugin uninstall}, not at all.
 */
@Tag("e2e")
class ClaudeCodePluginE2ETest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PLUGIN = "infinium@infinium";

    @TempDir Path work;
    TracedClaudeProject project;
    ClaudeCodeRun claude;
    TestEnv connector;

    @BeforeEach
    void setUp() throws Exception {
        project = TracedClaudeProject.create(work);
        claude = project.claude;
        connector = project.connector;
    }

    @AfterEach
    void tearDown() {
        project.close();
    }

    void installPlugin() throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        Result add = claude.cli("plugin", "marketplace", "add", repo.toString());
        assertThat(add.exitCode()).as("%s", add).isZero();
        Result install = claude.cli("plugin", "install", PLUGIN);
        assertThat(install.exitCode()).as("%s", install).isZero();
        assertThat(enabledPlugins().has(PLUGIN)).as("claude plugin install enables it for the user").isTrue();
    }

    JsonNode enabledPlugins() throws Exception {
        return JSON.readTree(claude.configDir().resolve("settings.json").toFile()).path("enabledPlugins");
    }

    void initNoHooks() {
        TestEnv.Result init = connector.run(claude.projectDir(), "init", "--no-interactive", "--no-hooks", "--agent-id",
                TracedClaudeProject.AGENT, "--agent-secret", TracedClaudeProject.SECRET, "--base-url",
                project.infinium.baseUrl());
        assertThat(init.code()).as(init.toString()).isZero();
    }

    /** The events of one session's spool, by hook event name, recovered lines left out. */
    List<String> spooledEvents(String sessionId) throws Exception {
        List<JsonNode> lines = project.spools().getOrDefault(sessionId, List.of());
        return lines.stream().filter(l -> !l.has("recovered"))
                .map(l -> l.path("event").path("hook_event_name").asText()).filter(n -> !n.isEmpty()).toList();
    }

    @Test
    void installedPluginTracesATurnOnceAndUninstalledItTracesNothing() throws Exception {
        initNoHooks();
        installPlugin();
        assertThat(infiniumMentionsIn(claude.projectDir().resolve(".claude"))).as("no infinium hook in the project").isEmpty();

        project.anthropic.script("PLUGIN-TURN1", reply(text("Hello from a plugin-traced turn.")));
        Result first = claude.prompt("PLUGIN-TURN1 say hello.");
        assertThat(first.exitCode()).as("%s", first).isZero();
        List<ReceivedTrace> traces = project.infinium.awaitTraces(1, Duration.ofSeconds(90));
        assertThat(traces.get(0).name()).startsWith("PLUGIN-TURN1");
        assertThat(spooledEvents(first.sessionId())).as("each event recorded once")
                .containsOnlyOnce("UserPromptSubmit", "Stop");

        Result uninstall = claude.cli("plugin", "uninstall", PLUGIN);
        assertThat(uninstall.exitCode()).as("%s", uninstall).isZero();
        assertThat(enabledPlugins().has(PLUGIN)).isFalse();
        project.anthropic.script("PLUGIN-TURN2", reply(text("Nobody traces this one.")));
        Result second = claude.prompt("PLUGIN-TURN2 say hello again.");
        assertThat(second.exitCode()).as("%s", second).isZero();
        // Claude Code waits for its (synchronous) hooks before it exits: a hook would have spooled by now.
        assertThat(project.spools()).as("no hook ran in the second session").doesNotContainKey(second.sessionId());
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(project.infinium.traces()).hasSize(1);
    }

    /** Field notes' "double delivery": the plugin's hooks and init's in .claude/settings.local.json both fire. */
    @Test
    void besideInitsHooksTheTurnIsStillRecordedOnce() throws Exception {
        project.init("command");
        installPlugin();
        project.anthropic.script("PLUGIN-BOTH", reply(text("Hooked twice, recorded once.")));
        Result turn = claude.prompt("PLUGIN-BOTH say hello.");
        assertThat(turn.exitCode()).as("%s", turn).isZero();
        project.infinium.awaitTraces(1, Duration.ofSeconds(90));
        assertThat(spooledEvents(turn.sessionId())).containsOnlyOnce("SessionStart", "UserPromptSubmit", "Stop");
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(project.infinium.traces()).hasSize(1);
        // status reads the user's Claude settings where Claude Code keeps them: here, its config dir.
        TestEnv.Result status = connector.with("CLAUDE_CONFIG_DIR", claude.configDir().toString())
                .run(claude.projectDir(), "status");
        assertThat(status.out()).contains("hooks installed both by the plugin (" + PLUGIN + ")");
    }

    /**
     * The plugin's own options as the credentials: set with {@code claude plugin configure
     * --values-stdin}, the project opted in with {@code init --no-hooks --plugin-credentials}, and
     * no secret anywhere of infinium's: Claude Code hands it to the plugin's hooks.
     */
    @Test
    void thePluginsOptionsCarryTheCredentialsOfAProjectSetUpForThem() throws Exception {
        installPlugin();
        Path values = work.resolve("plugin-options.json");
        Files.writeString(values, JSON.writeValueAsString(java.util.Map.of("agent_id", TracedClaudeProject.AGENT,
                "agent_secret", TracedClaudeProject.SECRET, "base_url", project.infinium.baseUrl())));
        Result configure = claude.cliWithInput(values, "plugin", "configure", PLUGIN, "--values-stdin");
        assertThat(configure.exitCode()).as("%s", configure).isZero();
        assertThat(Files.readString(claude.configDir().resolve("settings.json"))).as("the secret is not in settings")
                .contains(TracedClaudeProject.AGENT).doesNotContain(TracedClaudeProject.SECRET);

        TestEnv.Result init = connector.run(claude.projectDir(), "init", "--no-interactive", "--no-hooks",
                "--plugin-credentials");
        assertThat(init.code()).as(init.toString()).isZero();
        assertThat(infiniumMentionsIn(claude.projectDir().resolve(".claude"))).isEmpty();

        project.anthropic.script("PLUGIN-OPTIONS", reply(text("Traced with the plugin's own credentials.")));
        Result turn = claude.prompt("PLUGIN-OPTIONS say hello.");
        assertThat(turn.exitCode()).as("%s", turn).isZero();
        // The fake API takes this agent id and secret only: a trace arriving is the plugin's credentials at work.
        assertThat(project.infinium.awaitTraces(1, Duration.ofSeconds(90)).get(0).name()).startsWith("PLUGIN-OPTIONS");
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(project.infinium.traces()).hasSize(1);
        try (Stream<Path> files = Files.walk(connector.root)) {
            assertThat(files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.readString(f).contains(TracedClaudeProject.SECRET);
                } catch (java.io.IOException | java.io.UncheckedIOException e) {
                    return false;
                }
            }).toList()).as("infinium wrote the plugin's secret nowhere").isEmpty();
        }
        TestEnv.Result status = connector.with("CLAUDE_CONFIG_DIR", claude.configDir().toString())
                .run(claude.projectDir(), "status");
        assertThat(status.out()).contains("Agent id:     " + TracedClaudeProject.AGENT + "  [Claude Code plugin options]")
                .contains("kept by Claude Code");
    }

    /** The files under {@code dir} that mention infinium. */
    static List<Path> infiniumMentionsIn(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.readString(f).contains("infinium");
                } catch (java.io.IOException e) {
                    return true;
                }
            }).toList();
        }
    }
}
