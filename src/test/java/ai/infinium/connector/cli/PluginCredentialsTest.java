package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.config.PluginOptions;
import ai.infinium.connector.testing.ClaudeSessionScript;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code init --no-hooks --plugin-credentials}: a project traced by the Claude Code plugin with the
 * agent id and secret of the plugin's options, which Claude Code hands to the plugin's hooks as
 * {@code CLAUDE_PLUGIN_OPTION_*}; outside those hooks only the agent id is readable (Claude Code's
 * settings), and status, doctor and test say so instead of calling the secret missing.
 */
class PluginCredentialsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String AGENT = "plugin-agent";
    static final String SECRET = "plugin-secret-value-1";

    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        api = FakeInfiniumApi.start(AGENT, SECRET);
        env = new TestEnv(tmp).with("CLAUDE_CONFIG_DIR", tmp.resolve("claude-config").toString());
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    TestEnv.Result initWithPluginCredentials(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("init", "--no-interactive", "--no-hooks", "--plugin-credentials"));
        args.addAll(List.of(extra));
        return env.run(project, args.toArray(String[]::new));
    }

    /** What {@code claude plugin install} and {@code claude plugin configure} leave in the user's settings (2.1.330). */
    void pluginConfiguredInClaudeSettings() throws Exception {
        Files.createDirectories(tmp.resolve("claude-config"));
        Files.writeString(tmp.resolve("claude-config/settings.json"), "{\"enabledPlugins\":{\"infinium@infinium\":true},"
                + "\"pluginConfigs\":{\"infinium@infinium\":{\"options\":{\"agent_id\":\"" + AGENT + "\",\"base_url\":\""
                + api.baseUrl() + "\"}}}}");
    }

    /** The environment Claude Code gives the plugin's hooks once its options are set. */
    void inThePluginsHook(boolean withSecret) {
        env.with(PluginOptions.envName(PluginOptions.AGENT_ID), AGENT)
                .with(PluginOptions.envName(PluginOptions.AGENT_SECRET), withSecret ? SECRET : null)
                .with(PluginOptions.envName(PluginOptions.BASE_URL), api.baseUrl());
    }

    void outsideThePluginsHook() {
        for (String key : PluginOptions.KEYS) {
            env.with(PluginOptions.envName(key), null);
        }
    }

    /** One turn through the plugin's hook: prompt, answer, Stop (which flushes, here, in-process). */
    void turn(String sessionId, String prompt) throws Exception {
        ClaudeSessionScript s = new ClaudeSessionScript(env, tmp.resolve("claude"), sessionId, project).viaPlugin();
        s.userLine(s.transcript, "p1", prompt);
        s.hook("p1", "UserPromptSubmit", "prompt", prompt);
        s.assistant(s.transcript, "msg_1", 10, 0, 5, "Hello.");
        s.hook("p1", "Stop");
    }

    @Test
    void initWritesAConfigNamingNoAgentAndStoresNoSecret() throws Exception {
        TestEnv.Result r = initWithPluginCredentials();
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode config = JSON.readTree(project.resolve(".infinium/config.json").toFile());
        assertThat(config.has("agent_id")).as(config.toString()).isFalse();
        assertThat(config.has("base_url")).as("the plugin's base URL, else the default").isFalse();
        assertThat(tmp.resolve("config/infinium/secrets.json")).doesNotExist();
        assertThat(r.out()).contains("kept by Claude Code as the plugin's agent_secret option")
                .contains("the plugin's options name no agent_id yet").contains("claude plugin configure infinium@infinium");
    }

    @Test
    void pluginCredentialsNeedNoHooksAndContradictAnAgentOfTheProjectsOwn() {
        assertThat(env.run(project, "init", "--no-interactive", "--plugin-credentials", "--agent", "claude-code").code())
                .isEqualTo(Command.USAGE);
        assertThat(initWithPluginCredentials("--agent-id", "other-agent").code()).isEqualTo(Command.USAGE);
        assertThat(initWithPluginCredentials("--no-infinium", "--otlp-endpoint", "http://127.0.0.1:9").code())
                .isEqualTo(Command.USAGE);
        assertThat(project.resolve(".infinium")).doesNotExist();
    }

    @Test
    void aTurnThroughThePluginsHookIsDeliveredWithThePluginsSecret() throws Exception {
        assertThat(initWithPluginCredentials().code()).isZero();
        inThePluginsHook(true);
        turn("sess-plugin-1", "PLUGIN-CRED say hello");
        List<ReceivedTrace> traces = api.awaitTraces(1, Duration.ofSeconds(30));
        assertThat(traces).hasSize(1);
        assertThat(traces.get(0).name()).startsWith("PLUGIN-CRED");
        assertThat(api.requests()).allSatisfy(req -> assertThat(req.path()).contains("/agents/" + AGENT + "/"));
    }

    @Test
    void aProjectWithItsOwnAgentKeepsItAndIsNotGivenThePluginsSecret() throws Exception {
        TestEnv.Result init = env.run(project, "init", "--no-interactive", "--no-hooks", "--agent-id", "own-agent",
                "--agent-secret", "own-secret-value", "--base-url", api.baseUrl(), "--no-check");
        assertThat(init.code()).as(init.toString()).isZero();
        env.context().secrets().delete("own-agent");
        inThePluginsHook(true);
        turn("sess-plugin-own", "OWN-AGENT say hello");
        TestEnv.Result status = env.run(project, "status", "--json");
        JsonNode s = JSON.readTree(status.out());
        assertThat(s.path("agent_id").asText()).isEqualTo("own-agent");
        assertThat(s.path("secret").isNull()).as("the plugin's secret is its own agent's only").isTrue();
        assertThat(api.requests()).as("nothing sent for own-agent with the plugin's secret").isEmpty();
    }

    @Test
    void aTraceFlushedWhereTheSecretIsNotAtHandWaitsForAFlushThatHasIt() throws Exception {
        assertThat(initWithPluginCredentials().code()).isZero();
        inThePluginsHook(false); // as a flush started from a terminal sees it: the agent id, no secret
        turn("sess-plugin-2", "HELD say hello");
        assertThat(api.requests()).as("nothing sent without a secret").isEmpty();
        TestEnv.Result held = env.run(project, "status", "--json");
        assertThat(JSON.readTree(held.out()).path("pending").asInt()).as(held.out()).isEqualTo(1);

        // A later flush with the plugin's environment sends it once its retry is due; retry does it now.
        inThePluginsHook(true);
        TestEnv.Result retry = env.run(project, "retry");
        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(api.awaitTraces(1, Duration.ofSeconds(30)).get(0).name()).startsWith("HELD");
    }

    @Test
    void statusOutsideTheHookNamesThePluginsAgentAndSaysWhereItsSecretIs() throws Exception {
        assertThat(initWithPluginCredentials().code()).isZero();
        pluginConfiguredInClaudeSettings();
        outsideThePluginsHook();
        TestEnv.Result r = env.run(project, "status");
        assertThat(r.out()).contains("Agent id:     " + AGENT + "  [" + PluginOptions.SOURCE + "]")
                .contains("Secret:       kept by Claude Code (the plugin's agent_secret option)")
                .contains("Base URL:     " + api.baseUrl() + "  [" + PluginOptions.SOURCE + "]")
                .doesNotContain("NOT TRACING");
        JsonNode json = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(json.path("secret_source").asText()).isEqualTo(PluginOptions.SOURCE + " (its hooks only)");
    }

    @Test
    void withoutThePluginsOptionsStatusSaysHowToSetThem() throws Exception {
        assertThat(initWithPluginCredentials().code()).isZero();
        TestEnv.Result r = env.run(project, "status");
        assertThat(r.out()).contains("NOT TRACING").contains("no agent id is set")
                .contains("claude plugin configure infinium@infinium --values-stdin");
    }

    @Test
    void doctorAndTestSayTheSecretCannotBeCheckedFromHere() throws Exception {
        assertThat(initWithPluginCredentials().code()).isZero();
        pluginConfiguredInClaudeSettings();
        JsonNode report = JSON.readTree(env.run(project, "doctor", "--json").out());
        JsonNode credentials = null;
        for (JsonNode c : report.path("checks")) {
            if (c.path("name").asText().equals("credentials")) {
                credentials = c;
            }
        }
        assertThat(credentials).as(report.toString()).isNotNull();
        assertThat(credentials.path("level").asText()).isEqualTo("warning");
        assertThat(credentials.path("what").asText()).contains("agent " + AGENT + " comes from the Claude Code plugin's options");
        assertThat(api.requests()).as("nothing sent with a guess").isEmpty();

        TestEnv.Result test = env.run(project, "test");
        assertThat(test.code()).isEqualTo(Command.FAILED);
        assertThat(test.err()).contains("A Claude Code turn in this project is the test");
    }

    @Test
    void interactiveInitOffersThePluginsAgentWhenItsOptionsNameOne() throws Exception {
        pluginConfiguredInClaudeSettings();
        TestEnv.Result r = env.runWithInput(project, "\n", "init", "--no-hooks");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err() + r.out()).contains("The Claude Code plugin's options name agent " + AGENT)
                .contains("the plugin's agent is " + AGENT).contains("Next: use Claude Code as usual");
        assertThat(JSON.readTree(project.resolve(".infinium/config.json").toFile()).has("agent_id")).isFalse();

        Path other = Files.createDirectories(tmp.resolve("other"));
        TestEnv.Result declined = env.runWithInput(other, String.join("\n", "n", "own-agent", "own-secret-value",
                api.baseUrl(), "") + "\n", "init", "--no-hooks", "--no-check");
        assertThat(declined.code()).as(declined.toString()).isZero();
        assertThat(JSON.readTree(other.resolve(".infinium/config.json").toFile()).path("agent_id").asText())
                .isEqualTo("own-agent");
    }
}
