package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.HookProcess;
import ai.infinium.connector.testing.TestEnv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An install as users have it (a copy of bin/, the packaged jar and its lib/ in a folder of its own), then
 * broken the ways real use breaks it: the install moved away, its jar gone, its sources updated
 * without a rebuild. {@code status} must see the first two; the launcher must say the third.
 */
@Tag("e2e")
class InstallHealthE2ETest {
    @TempDir Path tmp;
    Path install;
    Path launcher;
    Path jar;
    Path project;
    TestEnv env;

    @BeforeEach
    void setUp() throws Exception {
        Path built = Path.of("target", "infinium.jar");
        assertThat(built).as("run through `mvn verify`: the jar is packaged first").exists();
        install = tmp.resolve("opt/infinium");
        Files.createDirectories(install.resolve("bin"));
        Files.createDirectories(install.resolve("target"));
        for (String f : List.of("infinium", "infinium-forward")) {
            Files.copy(Path.of("bin", f), install.resolve("bin").resolve(f));
        }
        launcher = install.resolve("bin/infinium");
        jar = install.resolve("target/infinium.jar");
        Files.copy(built, jar);
        Files.createDirectories(install.resolve("target/lib"));
        try (var libs = Files.list(Path.of("target", "lib"))) {
            for (Path lib : libs.toList()) {
                Files.copy(lib, install.resolve("target/lib").resolve(lib.getFileName()));
            }
        }
        project = Files.createDirectories(tmp.resolve("project"));
        env = new TestEnv(tmp).with("INFINIUM_LAUNCHER", launcher.toString()).with("INFINIUM_NO_ARCHIVE", "1");
        TestEnv.Result init = env.run(project, "init", "--no-interactive", "--agent", "claude-code", "--agent-id",
                "agent-h", "--agent-secret", "secret-of-agent-h", "--base-url", "http://127.0.0.1:9/api/v1");
        assertThat(init.code()).as(init.toString()).isZero();
    }

    @Test
    void statusSeesAMovedInstallAndAMissingJar() throws Exception {
        TestEnv.Result ok = env.run(project, "status");
        assertThat(ok.code()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("Tracing:      active");

        Files.delete(jar);
        TestEnv.Result noJar = env.run(project, "status");
        assertThat(noJar.code()).isEqualTo(1);
        assertThat(noJar.out()).contains("NOT TRACING Claude Code: the hooks' command fails (exit 1: infinium: " + jar
                + " is missing: build it with: cd '" + install + "' && mvn -q -B -DskipTests package)");

        Path moved = tmp.resolve("elsewhere");
        Files.move(install, moved);
        TestEnv.Result gone = env.run(project, "status");
        assertThat(gone.code()).isEqualTo(1);
        assertThat(gone.out()).contains("NOT TRACING Claude Code: the hooks run " + launcher + ", which no longer exists");
    }

    @Test
    void theLauncherSaysWhenItsSourcesAreNewerThanItsJar() throws Exception {
        Path source = install.resolve("src/main/java/Some.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class Some {}\n");
        long jarTime = Files.getLastModifiedTime(jar).toMillis();
        Files.setLastModifiedTime(source, FileTime.fromMillis(jarTime - 60_000));
        assertThat(stderrOf("--version")).isEmpty();

        Files.setLastModifiedTime(source, FileTime.fromMillis(jarTime + 60_000)); // a `git pull` after the build
        assertThat(stderrOf("--version")).contains("the sources in " + install.resolve("src/main") + " changed after "
                + jar + " was built").contains("mvn -q -B -DskipTests package");

        Map<String, String> e = new HashMap<>(env.env());
        // A fresh stale-scan marker: the hook starts no background `flush --stale` that would still be
        // writing into the temp dir when the test ends (the scan is throttled to one a minute).
        Path marker = env.dirs().sessions().resolve(".stale-scan");
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "");
        HookProcess.Outcome hook = HookProcess.runLauncher(launcher, e,
                "{\"session_id\":\"s\",\"hook_event_name\":\"SessionStart\"}".getBytes(StandardCharsets.UTF_8),
                "--agent", "claude-code");
        assertThat(hook.exitCode()).isZero();
        assertThat(hook.stdout()).isEmpty();
        assertThat(new String(hook.stderr(), StandardCharsets.UTF_8)).as("an agent's hook is never told").isEmpty();
    }

    String stderrOf(String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(launcher.toString());
        pb.command().addAll(List.of(args));
        pb.environment().clear();
        pb.environment().putAll(env.env());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        return err;
    }
}
