package ai.infinium.connector.agent.copilot;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.hook.TracedProject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Copilot hook that records (a set-up project, the event named on the command line) loads no
 * Jackson and no adapter: the project check and the event name cost no parser. Asked of the JVM's
 * class-load log.
 */
class CopilotHookClassLoadingTest {
    @TempDir Path tmp;

    @Test
    void aRecordingCopilotHookLoadsNoJacksonAndNoAdapter() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Files.createDirectories(TracedProject.marker(project, Copilot.NAME).getParent());
        Files.writeString(project.resolve(".infinium/config.json"), "{\"agent_id\":\"a\"}");
        Files.createFile(TracedProject.marker(project, Copilot.NAME));
        Path log = tmp.resolve("classes.log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                "ai.infinium.connector.Main", "hook", "--agent", "copilot", "--event", "preToolUse");
        pb.environment().clear();
        pb.environment().put("HOME", tmp.resolve("home").toString());
        pb.environment().put("XDG_STATE_HOME", tmp.resolve("state").toString());
        pb.environment().put("CONNECTOR_SESSION_DIR", tmp.resolve("sessions").toString());
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("out.txt").toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(("{\"sessionId\":\"s1\",\"timestamp\":1796110165480,\"cwd\":\"" + project
                    + "\",\"toolName\":\"bash\",\"toolArgs\":{\"command\":\"echo hi\"}}").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(tmp.resolve("out.txt"))).isEmpty();
        assertThat(Files.readString(tmp.resolve("sessions/copilot/s1.jsonl"))).as("it recorded")
                .contains("\"event\":{\"hook_event_name\":\"preToolUse\",\"sessionId\":\"s1\"");
        List<String> loaded = Files.readAllLines(log).stream().filter(l -> l.contains("[class,load]")).toList();
        assertThat(loaded).noneMatch(l -> l.contains(" com.fasterxml.jackson."))
                .noneMatch(l -> l.contains(" ai.infinium.connector.config.ProjectConfig "))
                .noneMatch(l -> l.matches(".* ai\\.infinium\\.connector\\.agent\\.[a-z]+\\.\\w+Adapter .*"));
    }
}
