package ai.infinium.connector.agent.copilot;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.hook.TracedProject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A preToolUse hook that exits non-zero makes Copilot deny the tool. The handler line the installer
 * writes must exit 0 and print nothing however broken the install is: run here through bash, as
 * Copilot runs it, with a damaged jar, a JVM that cannot start, no usable Java and the launcher gone.
 */
class CopilotHookNeverFailsTest {
    @TempDir Path tmp;

    /** A preToolUse from a project set up for Copilot, so the launcher does hand it to Java. */
    String payload() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("proj"));
        Files.createDirectories(TracedProject.marker(project, Copilot.NAME).getParent());
        Files.writeString(project.resolve(".infinium/config.json"), "{\"agent_id\":\"a\"}");
        if (!Files.exists(TracedProject.marker(project, Copilot.NAME))) {
            Files.createFile(TracedProject.marker(project, Copilot.NAME));
        }
        return "{\"sessionId\":\"s-1\",\"timestamp\":1796110165480,\"cwd\":\"" + project
                + "\",\"toolName\":\"bash\",\"toolArgs\":{\"command\":\"echo hello\"}}";
    }

    record Run(int code, String out, String err) {}

    Run bash(String line, Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", line).directory(tmp.toFile());
        pb.environment().put("HOME", tmp.resolve("home").toString());
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        pb.environment().put("XDG_STATE_HOME", tmp.resolve("state").toString());
        pb.environment().put("CONNECTOR_SESSION_DIR", tmp.resolve("sessions").toString());
        pb.environment().putAll(extraEnv);
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(payload().getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException gone) {
            // bash found no command and never read its stdin: the exit status is what counts
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    /** A copy of the launcher whose jar is not a jar: java itself fails (exit 1, "Invalid or corrupt jarfile"). */
    String damagedInstall() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("inst/bin"));
        Files.copy(Path.of("bin/infinium"), bin.resolve("infinium"));
        bin.resolve("infinium").toFile().setExecutable(true);
        Files.createDirectories(tmp.resolve("inst/target"));
        Files.writeString(tmp.resolve("inst/target/infinium.jar"), "not a jar");
        return bin.resolve("infinium") + " hook --agent copilot";
    }

    static String guarded(String command) {
        return CopilotHookInstaller.handlerLine(command, CopilotEvent.PRE_TOOL_USE);
    }

    @Test
    void aDamagedJarIsNotHeardOfByTheAgent() throws Exception {
        String command = damagedInstall();
        // No class-data archive: the launcher would build one in the background, into the temp folder
        // the test is about to delete, and a file appearing mid-delete fails the test for nothing.
        Map<String, String> java = Map.of("INFINIUM_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "INFINIUM_NO_ARCHIVE", "1");
        Run bare = bash(command + " --event preToolUse", java);
        assertThat(bare.err()).as("the damage is real").contains("corrupt jarfile");
        assertThat(bash(guarded(command), java)).isEqualTo(new Run(0, "", ""));
    }

    /** The line init writes when there is no launcher: a JVM that cannot find our classes exits 1, which would deny the tool. */
    @Test
    void aJvmThatCannotStartWouldDenyTheToolButTheInstalledLineExitsZeroSilently() throws Exception {
        String command = Path.of(System.getProperty("java.home"), "bin", "java") + " -cp " + tmp.resolve("gone.jar")
                + " ai.infinium.connector.Main hook --agent copilot";
        Run bare = bash(command + " --event preToolUse", Map.of());
        assertThat(bare.code()).as("the bare command fails (" + bare + ")").isNotZero();
        assertThat(bash(guarded(command), Map.of())).isEqualTo(new Run(0, "", ""));
    }

    @Test
    void noUsableJavaExitsZeroSilently() throws Exception {
        Run run = bash(guarded(damagedInstall()), Map.of("INFINIUM_JAVA", tmp.resolve("no-such-java").toString()));
        assertThat(run).isEqualTo(new Run(0, "", ""));
    }

    @Test
    void aRemovedInstallExitsZeroSilently() throws Exception {
        String command = tmp.resolve("gone/bin/infinium") + " hook --agent copilot";
        Run bare = bash(command + " --event preToolUse", Map.of());
        assertThat(bare.code()).as("command not found").isEqualTo(127);
        assertThat(bash(guarded(command), Map.of())).isEqualTo(new Run(0, "", ""));
    }
}
