package ai.infinium.connector.spool;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TraceSteps;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool on a real, tiny file system (a 64 KB tmpfs, mounted when the test runs as root) that
 * fills up mid-session: the event that did not fit is lost, nothing else. No partial line is
 * left for the next event to be glued onto, and once space returns the turn's Stop arrives and
 * the turn is delivered.
 */
class FullDiskTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    Path disk;
    boolean mounted;
    FakeInfiniumApi api;
    TestEnv env;

    @BeforeEach
    void setUp() throws Exception {
        disk = Files.createDirectories(tmp.resolve("disk"));
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a small tmpfs");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        mounted = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(mounted, "mount -t tmpfs is not allowed here: " + new String(p.getInputStream().readAllBytes()));
        api = FakeInfiniumApi.start("agent-disk", "secret-of-agent-disk");
        env = new TestEnv(tmp).sendingTo(api).with("CONNECTOR_SESSION_DIR", disk.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (api != null) {
            api.close();
        }
        if (mounted) {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    byte[] event(String name, String extra) {
        return ("{\"session_id\":\"full\",\"cwd\":\"" + tmp + "\",\"prompt_id\":\"p1\",\"hook_event_name\":\"" + name + "\""
                + extra + "}").getBytes();
    }

    /** Fills the file system; returns the filler, whose deletion gives the space back. */
    Path fill() throws IOException {
        Path filler = disk.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[512];
            while (true) {
                out.write(block);
                out.flush();
            }
        } catch (IOException full) {
            return filler; // ENOSPC: the disk is full
        }
    }

    @Test
    void aFullDiskLosesOnlyTheEventThatDidNotFit() throws Exception {
        env.hook("claude-code", event("UserPromptSubmit", ",\"prompt\":\"fill the disk\""));
        Path filler = fill();
        // Bigger than what is left of the spool's last page: written in part, then ENOSPC.
        env.hook("claude-code", event("PostToolUseFailure", ",\"tool_name\":\"Bash\",\"tool_use_id\":\"t1\","
                + "\"tool_input\":{\"command\":\"make\"},\"error\":\"" + "x".repeat(20_000) + "\""));
        Path spool = disk.resolve("claude-code/full.jsonl");
        List<String> lines = Files.readAllLines(spool);
        assertThat(lines).as("the event that did not fit left no partial line").hasSize(1);

        Files.delete(filler);
        env.hook("claude-code", event("Stop", ",\"last_assistant_message\":\"done\""));
        List<ReceivedTrace> traces = api.awaitTraces(1, Duration.ofSeconds(10));
        assertThat(traces.get(0).name()).isEqualTo("fill the disk");
        assertThat(TraceSteps.of(traces.get(0))).containsExactly("user_prompt | User prompt | in=fill the disk",
                "assistant_response | Assistant response | out=done");
        for (String line : Files.readAllLines(spool)) {
            JSON.readTree(line); // every line whole: nothing glued
        }
    }
}
