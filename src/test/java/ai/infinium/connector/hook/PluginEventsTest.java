package ai.infinium.connector.hook;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.hook.PluginEvents.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's hooks fire in every project: which of their events are recorded. */
class PluginEventsTest {
    @TempDir Path tmp;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(tmp.resolve("project"));
    }

    void configure() throws Exception {
        Files.createDirectories(project.resolve(".infinium"));
        Files.writeString(project.resolve(".infinium/config.json"), "{\"agent_id\":\"a\"}");
    }

    @Test
    void aProjectWithoutConfigIsNotTracedUnlessTheEnvironmentHasCredentials() throws Exception {
        Path sub = Files.createDirectories(project.resolve("src"));
        assertThat(PluginEvents.of(sub.toString(), Map.of())).isEqualTo(Verdict.NOT_SET_UP);
        assertThat(PluginEvents.of(sub.toString(), Map.of("INFINIUM_AGENT_ID", "agent-1"))).isEqualTo(Verdict.RECORD);
        Files.createDirectories(project.resolve(".infinium"));
        assertThat(PluginEvents.of(sub.toString(), Map.of())).as("an .infinium/ without config.json").isEqualTo(Verdict.NOT_SET_UP);
        assertThat(PluginEvents.of(null, Map.of())).isEqualTo(Verdict.NOT_SET_UP);
    }

    @Test
    void aConfiguredProjectIsTracedFromAnySubfolder() throws Exception {
        configure();
        Path sub = Files.createDirectories(project.resolve("a/b"));
        assertThat(PluginEvents.of(sub.toString(), Map.of())).isEqualTo(Verdict.RECORD);
    }

    /** Settings with init's hooks record the event themselves (command mode or server mode). */
    @Test
    void theProjectsOwnHooksWinOverThePlugins() throws Exception {
        configure();
        Files.createDirectories(project.resolve(".claude"));
        Path local = project.resolve(".claude/settings.local.json");
        Files.writeString(local, "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":"
                + "\"/opt/infinium/bin/infinium hook --agent claude-code\"}]}]}}");
        assertThat(PluginEvents.of(project.toString(), Map.of())).isEqualTo(Verdict.PROJECT_HOOKS);
        Files.writeString(local, "{\"hooks\":{\"PostToolUseFailure\":[{\"hooks\":[{\"type\":\"http\",\"url\":"
                + "\"http://127.0.0.1:4789/hook/claude-code\"}]}]}}");
        assertThat(PluginEvents.of(project.toString(), Map.of())).isEqualTo(Verdict.PROJECT_HOOKS);
        Files.writeString(local, "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\",\"command\":\"notify-send\"}]}]}}");
        assertThat(PluginEvents.of(project.toString(), Map.of())).as("someone else's hooks").isEqualTo(Verdict.RECORD);
    }

    /** Claude Code reads settings where the session started (CLAUDE_PROJECT_DIR), which may be above the project. */
    @Test
    void hooksWhereTheSessionStartedCountToo() throws Exception {
        configure();
        Path started = tmp;
        Files.createDirectories(started.resolve(".claude"));
        Files.writeString(started.resolve(".claude/settings.json"), "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"command\":"
                + "\"java -cp x ai.infinium.connector.Main hook --agent claude-code\"}]}]}}");
        assertThat(PluginEvents.of(project.toString(), Map.of())).isEqualTo(Verdict.RECORD);
        assertThat(PluginEvents.of(project.toString(), Map.of("CLAUDE_PROJECT_DIR", started.toString())))
                .isEqualTo(Verdict.PROJECT_HOOKS);
    }

    /** Through the hook command: recorded in a set-up project, not in another, not beside init's hooks. */
    @Test
    void theHookWithViaPluginRecordsOnlyWhereThePluginIsTheOnlyInfiniumHook() throws Exception {
        Map<String, String> env = Map.of("HOME", tmp.resolve("home").toString(), "XDG_STATE_HOME",
                tmp.resolve("state").toString(), "CONNECTOR_SESSION_DIR", tmp.resolve("sessions").toString());
        Path spool = tmp.resolve("sessions/claude-code/s1.jsonl");
        String[] plugin = {"hook", "--agent", "claude-code", "--via", "plugin"};
        String event = "{\"session_id\":\"s1\",\"hook_event_name\":\"UserPromptSubmit\",\"cwd\":\"" + project
                + "\",\"prompt\":\"hi\"}";
        HookCommand.run(plugin, new java.io.ByteArrayInputStream(event.getBytes()), env, args -> { });
        assertThat(spool).as("no .infinium/config.json").doesNotExist();

        configure();
        HookCommand.run(plugin, new java.io.ByteArrayInputStream(event.getBytes()), env, args -> { });
        assertThat(Files.readAllLines(spool)).hasSize(1);

        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.local.json"), "{\"hooks\":{\"UserPromptSubmit\":[{\"hooks\":"
                + "[{\"type\":\"command\",\"command\":\"/x/bin/infinium hook --agent claude-code\"}]}]}}");
        HookCommand.run(plugin, new java.io.ByteArrayInputStream(event.getBytes()), env, args -> { });
        assertThat(Files.readAllLines(spool)).as("init's hook records this one").hasSize(1);
        HookCommand.run(new String[] {"hook", "--agent", "claude-code"}, new java.io.ByteArrayInputStream(event.getBytes()),
                env, args -> { });
        assertThat(Files.readAllLines(spool)).as("as init's hook").hasSize(2);
    }

    /** The Codex plugin's events: init --agent codex's .codex/hooks.json records instead; Claude's hooks do not count. */
    @Test
    void forCodexTheProjectsOwnCodexHooksWinOverThePlugins() throws Exception {
        configure();
        Path sub = Files.createDirectories(project.resolve("src"));
        assertThat(PluginEvents.of("codex", sub.toString(), Map.of())).isEqualTo(Verdict.RECORD);
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.local.json"), "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"command\":"
                + "\"/opt/infinium/bin/infinium hook --agent claude-code\"}]}]}}");
        assertThat(PluginEvents.of("codex", sub.toString(), Map.of())).as("Claude Code's hooks trace no Codex event")
                .isEqualTo(Verdict.RECORD);
        Files.delete(project.resolve(".claude/settings.local.json"));
        Files.createDirectories(project.resolve(".codex"));
        Files.writeString(project.resolve(".codex/hooks.json"), "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\","
                + "\"command\":\"notify-send done\"}]}]}}");
        assertThat(PluginEvents.of("codex", sub.toString(), Map.of())).as("someone else's hooks").isEqualTo(Verdict.RECORD);
        // what init --agent codex writes in server mode (command mode lacks --server)
        Files.writeString(project.resolve(".codex/hooks.json"), "{\"hooks\":{\"Stop\":[{\"hooks\":[{\"type\":\"command\","
                + "\"command\":\"/opt/infinium/bin/infinium hook --agent codex --server\",\"timeout\":30}]}]}}");
        assertThat(PluginEvents.of("codex", sub.toString(), Map.of())).isEqualTo(Verdict.PROJECT_HOOKS);
        assertThat(PluginEvents.of(sub.toString(), Map.of())).as("Codex's hooks trace no Claude Code event")
                .isEqualTo(Verdict.RECORD);
        Files.delete(project.resolve(".codex/hooks.json"));
        Files.writeString(project.resolve(".codex/config.toml"), "[[hooks.Stop]]\n[[hooks.Stop.hooks]]\ntype = \"command\"\n"
                + "command = \"infinium hook --agent codex\"\n");
        assertThat(PluginEvents.of("codex", sub.toString(), Map.of())).as("inline [hooks] in the project's config.toml")
                .isEqualTo(Verdict.PROJECT_HOOKS);
    }

    /** Through the hook command for Codex: recorded in a set-up project, not beside init's .codex/hooks.json. */
    @Test
    void theCodexHookWithViaPluginRecordsOnlyWhereThePluginIsTheOnlyInfiniumHook() throws Exception {
        Map<String, String> env = Map.of("HOME", tmp.resolve("home").toString(), "XDG_STATE_HOME",
                tmp.resolve("state").toString(), "CONNECTOR_SESSION_DIR", tmp.resolve("sessions").toString());
        Path spool = tmp.resolve("sessions/codex/s1.jsonl");
        String[] plugin = {"hook", "--agent", "codex", "--via", "plugin"};
        String event = "{\"session_id\":\"s1\",\"turn_id\":\"t1\",\"cwd\":\"" + project
                + "\",\"hook_event_name\":\"UserPromptSubmit\",\"model\":\"m\",\"prompt\":\"hi\"}";
        HookCommand.run(plugin, new java.io.ByteArrayInputStream(event.getBytes()), env, args -> { });
        assertThat(spool).as("no .infinium/config.json").doesNotExist();
        configure();
        HookCommand.run(plugin, new java.io.ByteArrayInputStream(event.getBytes()), env, args -> { });
        assertThat(Files.readAllLines(spool)).hasSize(1);
        Files.createDirectories(project.resolve(".codex"));
        Files.writeString(project.resolve(".codex/hooks.json"), "{\"hooks\":{\"UserPromptSubmit\":[{\"hooks\":"
                + "[{\"type\":\"command\",\"command\":\"/x/bin/infinium hook --agent codex\"}]}]}}");
        HookCommand.run(plugin, new java.io.ByteArrayInputStream(event.getBytes()), env, args -> { });
        assertThat(Files.readAllLines(spool)).as("init's hook records this one").hasSize(1);
    }
}
