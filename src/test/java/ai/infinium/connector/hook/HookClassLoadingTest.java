package ai.infinium.connector.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hook is on the agent's critical path: it must not pay for loading Jackson, and in
 * particular not the TOML parser that {@code init} checks config.toml edits with. Asked of the
 * JVM itself (its class-load log), not of the imports, so an indirect reference counts too.
 */
class HookClassLoadingTest {
    @TempDir Path tmp;

    /** Runs {@code Main hook ARGS…} on {@code payload} and returns the classes the JVM loaded. */
    List<String> classesLoaded(String payload, String... hookArgs) throws Exception {
        Path log = tmp.resolve("classes.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                "ai.infinium.connector.Main", "hook"));
        cmd.addAll(List.of(hookArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("HOME", tmp.resolve("home").toString());
        pb.environment().put("XDG_STATE_HOME", tmp.resolve("state").toString());
        pb.environment().put("CONNECTOR_SESSION_DIR", tmp.resolve("sessions").toString());
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(payload.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(tmp.resolve("out.txt"))).isEmpty();
        List<String> loaded = Files.readAllLines(log).stream().filter(l -> l.contains("[class,load]")).toList();
        assertThat(loaded).as("the hook ran").anyMatch(l -> l.contains("ai.infinium.connector.hook.HookCommand "));
        return loaded;
    }

    /**
     * What no hook may load: Jackson, an exporter or the HTTP client, an agent's adapter (the
     * registry hands the hook a profile only).
     */
    static org.assertj.core.api.ListAssert<String> assertHotPath(List<String> loaded) {
        return assertThat(loaded).noneMatch(l -> l.contains(" com.fasterxml.jackson."))
                .as("no exporter, OTLP or Infinium, and no HTTP client")
                .noneMatch(l -> l.contains(" ai.infinium.connector.export."))
                .noneMatch(l -> l.contains(" java.net.http."))
                .as("no agent's adapter: the registry hands the hook a profile only")
                .noneMatch(l -> l.matches(".* ai\\.infinium\\.connector\\.agent\\.[a-z]+\\.\\w+Adapter .*"));
    }

    @Test
    void aCodexHookLoadsNoJacksonAndNoTomlCode() throws Exception {
        List<String> loaded = classesLoaded("{\"session_id\":\"s1\",\"turn_id\":\"t1\",\"hook_event_name\":\"UserPromptSubmit\","
                + "\"cwd\":\"" + tmp + "\",\"prompt\":\"hi\"}", "--agent", "codex");
        assertHotPath(loaded).noneMatch(l -> l.contains(" ai.infinium.connector.config.Toml"))
                .noneMatch(l -> l.contains(" ai.infinium.connector.config.CheckedTomlEdit"));
    }

    /** Copilot's hooks are the user's: the check that the project is set up for it costs no parser either. */
    @Test
    void aRecordingCopilotHookLoadsNoJacksonAndNoAdapter() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Files.createDirectories(TracedProject.marker(project, "copilot").getParent());
        Files.writeString(project.resolve(".infinium/config.json"), "{\"agent_id\":\"a\"}");
        Files.createFile(TracedProject.marker(project, "copilot"));
        List<String> loaded = classesLoaded("{\"sessionId\":\"s1\",\"timestamp\":1796110165480,\"cwd\":\"" + project
                + "\",\"toolName\":\"bash\",\"toolArgs\":{\"command\":\"echo hi\"}}", "--agent", "copilot", "--event",
                "preToolUse");
        assertThat(Files.readString(tmp.resolve("sessions/copilot/s1.jsonl"))).as("it recorded")
                .contains("\"event\":{\"hook_event_name\":\"preToolUse\",\"sessionId\":\"s1\"");
        assertHotPath(loaded).noneMatch(l -> l.contains(" ai.infinium.connector.config.ProjectConfig "));
    }

    /** The Claude Code plugin's hooks fire everywhere: the project and settings checks cost no parser. */
    @Test
    void aRecordingPluginHookLoadsNoJackson() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("proj/.infinium")).getParent();
        Files.writeString(project.resolve(".infinium/config.json"), "{\"agent_id\":\"a\"}");
        Files.createDirectories(project.resolve(".claude"));
        Files.writeString(project.resolve(".claude/settings.local.json"), "{\"permissions\":{}}");
        List<String> loaded = classesLoaded("{\"session_id\":\"s1\",\"hook_event_name\":\"UserPromptSubmit\",\"cwd\":\""
                + project + "\",\"prompt\":\"hi\"}", "--agent", "claude-code", "--via", "plugin");
        assertThat(Files.readString(tmp.resolve("sessions/claude-code/s1.jsonl"))).as("it recorded").contains("\"prompt\":\"hi\"");
        assertHotPath(loaded).noneMatch(l -> l.contains(" ai.infinium.connector.config.ProjectConfig "));
    }

    /** Likewise the Codex plugin's: the look at the project's .codex/ is a substring search, no TOML or JSON parser. */
    @Test
    void aRecordingCodexPluginHookLoadsNoJackson() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("proj/.infinium")).getParent();
        Files.writeString(project.resolve(".infinium/config.json"), "{\"agent_id\":\"a\"}");
        Files.createDirectories(project.resolve(".codex"));
        Files.writeString(project.resolve(".codex/config.toml"), "model = \"m\"\n");
        List<String> loaded = classesLoaded("{\"session_id\":\"s1\",\"turn_id\":\"t1\",\"cwd\":\"" + project
                + "\",\"hook_event_name\":\"UserPromptSubmit\",\"model\":\"m\",\"prompt\":\"hi\"}", "--agent", "codex",
                "--via", "plugin");
        assertThat(Files.readString(tmp.resolve("sessions/codex/s1.jsonl"))).as("it recorded").contains("\"prompt\":\"hi\"");
        assertHotPath(loaded).noneMatch(l -> l.contains(" ai.infinium.connector.config.TomlTree "))
                .noneMatch(l -> l.contains(" ai.infinium.connector.agent.codex.CodexPlugin "));
    }
}
