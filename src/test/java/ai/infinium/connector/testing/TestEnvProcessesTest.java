package ai.infinium.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The teardown helper finds a process by the environment it was given, and only that one. */
@EnabledOnOs(OS.LINUX)
class TestEnvProcessesTest {
    @TempDir Path tmp;

    @Test
    void aProcessStartedWithThisEnvironmentIsFoundAndKilledAnotherIsNot() throws Exception {
        TestEnv env = new TestEnv(tmp.resolve("a"));
        TestEnv other = new TestEnv(tmp.resolve("b"));
        Process ours = start(env);
        Process theirs = start(other);
        try {
            List<String> killed = env.awaitOwnProcessesGone(Duration.ofMillis(300));
            assertThat(killed).singleElement().asString().startsWith(ours.pid() + " ");
            assertThat(ours.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(theirs.isAlive()).as("another environment's process is left alone").isTrue();
            assertThat(env.awaitOwnProcessesGone(Duration.ofMillis(300))).isEmpty();
        } finally {
            ours.destroyForcibly();
            theirs.destroyForcibly();
        }
    }

    private static Process start(TestEnv env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sleep", "60");
        pb.environment().putAll(env.env());
        return pb.start();
    }
}
