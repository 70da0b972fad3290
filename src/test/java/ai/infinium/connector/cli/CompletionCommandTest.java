package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code completion}: each shell's script names every command and their options, and the shell accepts it. */
class CompletionCommandTest {
    @TempDir Path tmp;

    List<String> commandNames(TestEnv env) {
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), env.context(), tmp, false, args -> { });
        return cli.commandNames().stream().filter(n -> !n.equals("flush")).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh", "fish"})
    void theScriptNamesEveryCommandAndInitsOptions(String shell) {
        TestEnv env = new TestEnv(tmp);
        TestEnv.Result r = env.run(tmp, "completion", shell);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(commandNames(env)).contains("init", "doctor", "completion", "status");
        for (String name : commandNames(env)) {
            assertThat(r.out()).contains(name);
        }
        List<String> initOptions = new InitCommand(null).options();
        assertThat(initOptions).contains("--agent", "--agent-id", "--agent-secret", "--no-check", "--otlp-endpoint",
                "--no-infinium");
        for (String option : initOptions) {
            assertThat(r.out()).contains(shell.equals("fish") ? option.replaceFirst("^--", "-l ") : option);
        }
    }

    @Test
    void optionsAreTheDeclaredOnesAndWordsComeFromTheUsageLines() {
        assertThat(new HistoryCommand().options()).containsExactly("-n", "--limit", "--json", "--clear", "-y", "--yes");
        assertThat(new DoctorCommand().options()).containsExactly("--json");
        assertThat(UsageWords.of("server", new ServerCommand().help())).containsExactly("start", "stop", "status");
        assertThat(UsageWords.of("completion", new CompletionCommand(List::of).help()))
                .containsExactly("bash", "zsh", "fish");
        assertThat(UsageWords.of("status", new StatusCommand(null).help())).isEmpty();
    }

    @Test
    void anUnknownShellIsAUsageError() {
        TestEnv.Result r = new TestEnv(tmp).run(tmp, "completion", "tcsh");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bash, zsh or fish");
    }

    @Test
    void bashAcceptsTheScriptAndCompletesWithIt() throws Exception {
        Path script = tmp.resolve("infinium.bash");
        Files.writeString(script, new TestEnv(tmp).run(tmp, "completion", "bash").out());
        assertThat(run("bash", "-n", script.toString())).isEmpty();
        String probe = "source '" + script + "'\n"
                + "COMP_WORDS=(infinium doc); COMP_CWORD=1; _infinium; echo \"1: ${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(infinium init --agent-); COMP_CWORD=2; _infinium; echo \"2: ${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(infinium server st); COMP_CWORD=2; _infinium; echo \"3: ${COMPREPLY[*]}\"\n";
        assertThat(run("bash", "-c", probe)).contains("1: doctor").contains("2: --agent-id --agent-secret")
                .contains("3: start stop status");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zsh", "fish"})
    void otherShellsAcceptTheScriptWhenInstalled(String shell) throws Exception {
        Assumptions.assumeTrue(onPath(shell), shell + " is not installed");
        Path script = tmp.resolve("infinium." + shell);
        Files.writeString(script, new TestEnv(tmp).run(tmp, "completion", shell).out());
        run(shell, "-n", script.toString());
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a real shell; its output, or a failure with it when the exit code is not 0. */
    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
