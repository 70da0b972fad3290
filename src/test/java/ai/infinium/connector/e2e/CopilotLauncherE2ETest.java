package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.hook.TracedProject;
import ai.infinium.connector.testing.HookProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copilot's hooks are the user's and fire in every project: through the real launcher, an event
 * from a directory no project set up for Copilot starts no JVM at all (a Java that logs each start
 * tells), one from a set-up project is recorded, and one whose cwd the launcher cannot read for
 * sure is left to the JVM.
 */
@Tag("e2e")
class CopilotLauncherE2ETest {
    static final Path LAUNCHER = Path.of("bin", "infinium").toAbsolutePath();
    @TempDir Path tmp;
    Map<String, String> env;
    Path starts;
    Path project;
    Path elsewhere;

    @BeforeEach
    void setUp() throws Exception {
        starts = tmp.resolve("java-starts.log");
        Path java = tmp.resolve("java");
        // Counts hook runs only: the launcher also asks an unknown Java for its version.
        Files.writeString(java, "#!/bin/sh\ncase \" $* \" in *' hook '*) echo started >> '" + starts + "' ;; esac\nexec '"
                + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        java.toFile().setExecutable(true);
        env = new HashMap<>(Map.of("HOME", tmp.resolve("home").toString(), "PATH", "/usr/bin:/bin",
                "XDG_STATE_HOME", tmp.resolve("state").toString(), "XDG_CACHE_HOME", tmp.resolve("cache").toString(),
                "CONNECTOR_SESSION_DIR", tmp.resolve("sessions").toString(), "INFINIUM_JAVA", java.toString(),
                "INFINIUM_NO_ARCHIVE", "1"));
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(TracedProject.marker(project, "copilot").getParent());
        Files.writeString(project.resolve(".infinium/config.json"), "{\"agent_id\":\"a\"}");
        Files.createFile(TracedProject.marker(project, "copilot"));
        elsewhere = Files.createDirectories(tmp.resolve("elsewhere/deeper"));
    }

    HookProcess.Outcome hook(String payload) throws Exception {
        return HookProcess.runLauncher(LAUNCHER, env, payload.getBytes(StandardCharsets.UTF_8), "--agent", "copilot",
                "--event", "userPromptSubmitted");
    }

    int javaStarts() throws Exception {
        return Files.exists(starts) ? Files.readAllLines(starts).size() : 0;
    }

    Path spool(String session) {
        return tmp.resolve("sessions/copilot/" + session + ".jsonl");
    }

    @Test
    void onlyASetUpProjectPaysForAJvm() throws Exception {
        HookProcess.Outcome out = hook("{\"sessionId\":\"s-out\",\"timestamp\":1,\"cwd\":\"" + elsewhere + "\",\"prompt\":\"x\"}");
        assertThat(out.exitCode()).isZero();
        assertThat(out.stdout()).isEmpty();
        assertThat(javaStarts()).as("no JVM for a directory outside any project").isZero();
        assertThat(spool("s-out")).doesNotExist();

        Path sub = Files.createDirectories(project.resolve("src/main"));
        assertThat(hook("{\"sessionId\":\"s-in\",\"timestamp\":2,\"cwd\":\"" + sub + "\",\"prompt\":\"y\"}").exitCode()).isZero();
        assertThat(javaStarts()).isEqualTo(1);
        assertThat(Files.readString(spool("s-in"))).as("the JVM got the same bytes").contains("\"prompt\":\"y\"")
                .contains("\"hook_event_name\":\"userPromptSubmitted\"");
    }

    @Test
    void aCwdTheLauncherCannotBeSureOfIsLeftToTheJvm() throws Exception {
        String nestedFirst = "{\"sessionId\":\"s-nested\",\"toolArgs\":{\"cwd\":\"" + elsewhere + "\"},\"cwd\":\"" + project
                + "\"}";
        assertThat(hook(nestedFirst).exitCode()).isZero();
        assertThat(javaStarts()).isEqualTo(1);
        assertThat(spool("s-nested")).exists();
        String escaped = "{\"sessionId\":\"s-esc\",\"cwd\":\"" + elsewhere.toString().replace("/", "\\/") + "\"}";
        assertThat(hook(escaped).exitCode()).isZero();
        assertThat(javaStarts()).as("the JVM decided, and recorded nothing").isEqualTo(2);
        assertThat(spool("s-esc")).doesNotExist();
    }
}
