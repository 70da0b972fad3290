package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.FakeReply.reply;
import static ai.infinium.connector.e2e.FakeReply.text;
import static ai.infinium.connector.e2e.FakeReply.toolUse;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.serve.ServerControl;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server SIGKILLed in the middle of a real Claude Code turn (server mode, the default): the
 * tool events Claude Code posts while it is gone (here the failing command's PostToolUseFailure)
 * fail silently, and the turn's Stop finds no server, yet every turn still arrives exactly once
 * with every tool call, and the server is back before the session ends.
 */
@Tag("e2e")
class ServerRecoveryE2ETest {
    static final String AGENT = "agent-e2e-kill";
    static final String SECRET = "e2e-secret-Kill9x";
    static final String SLOW_STARTED = "slow-started";
    /** The slow command marks its start in the project directory: the moment to kill the server. */
    static final String SLOW = ": > " + SLOW_STARTED + "; sleep 3; echo two";

    @TempDir Path work;
    FakeAnthropicApi anthropic;
    FakeInfiniumApi infinium;
    ClaudeCodeRun claude;
    TestEnv connector;
    ServerControl control;

    @BeforeEach
    void setUp() throws Exception {
        anthropic = FakeAnthropicApi.start();
        infinium = FakeInfiniumApi.start(AGENT, SECRET);
        assertThat(Path.of("target", "infinium.jar")).as("run through `mvn verify`: the jar is packaged first").exists();
        connector = new TestEnv(work.resolve("connector"))
                .with("INFINIUM_LAUNCHER", Path.of("bin", "infinium").toAbsolutePath().toString());
        ClaudeCodeRun.Builder b = ClaudeCodeRun.builder(work).baseUrl(anthropic.baseUrl()).env("CLAUDE_CODE_MAX_RETRIES", "0");
        for (String k : List.of("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "CONNECTOR_SESSION_DIR",
                "INFINIUM_SERVER_PORT", "INFINIUM_SERVER_IDLE_TIMEOUT")) {
            b.env(k, connector.env().get(k));
        }
        claude = b.build();
        TestEnv.Result init = connector.run(claude.projectDir(), "init", "--no-interactive", "--agent", "claude-code",
                "--agent-id", AGENT, "--agent-secret", SECRET, "--base-url", infinium.baseUrl());
        assertThat(init.code()).as(init.toString()).isZero();
        control = new ServerControl(new ServerFiles(connector.dirs(), connector.env()));
    }

    @AfterEach
    void tearDown() {
        connector.run(work, "server", "stop");
        anthropic.close();
        infinium.close();
    }

    @Test
    void killedMidTurnEveryTurnArrivesOnceWithEveryToolCall() throws Exception {
        anthropic.script("KILL-TURN1",
                reply(toolUse("Bash", Map.of("command", "echo one", "description", "First"))),
                reply(toolUse("Bash", Map.of("command", SLOW, "description", "Slow one"))),
                reply(toolUse("Bash", Map.of("command", "echo three", "description", "Third"))),
                reply(toolUse("Bash", Map.of("command", "exit 3", "description", "Fail on purpose"))),
                reply(text("Turn one done.")));
        anthropic.script("KILL-TURN2",
                reply(toolUse("Bash", Map.of("command", "echo four", "description", "Fourth"))),
                reply(text("Turn two done.")));

        // The server runs before the turn (on a fresh machine its first start builds the JVM's
        // class-data archive, and the turn must not outrun it). Kill it while the slow command
        // runs: every event after that until the next SessionStart finds no server (server mode
        // hooks no PreToolUse or PostToolUse at all).
        ProcessBuilder starter = new ProcessBuilder(connector.env().get("INFINIUM_LAUNCHER"), "server", "start", "--quiet")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("server-start.log").toFile());
        starter.environment().putAll(connector.env());
        Process p = starter.start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("server start returned").isTrue();
        // What is tested here is the recovery, not how fast a JVM starts: on a loaded machine the
        // server may answer after `server start` gave up waiting, so its own answer is awaited too.
        assertThat(p.exitValue() == 0 || serverAnswersWithin(Duration.ofSeconds(60)))
                .as("server start: %s", Files.readString(work.resolve("server-start.log"))).isTrue();
        AtomicLong killed = new AtomicLong(-1);
        Thread killer = new Thread(() -> {
            try {
                killed.set(killWhenExists(claude.projectDir().resolve(SLOW_STARTED), Duration.ofSeconds(120)));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        killer.start();
        ClaudeCodeRun.Result first = claude.prompt("KILL-TURN1 run four commands.");
        killer.join(10_000);
        assertThat(first.exitCode()).as("%s", first).isZero();
        assertThat(killed.get()).as("the server was killed during the turn").isPositive();
        infinium.awaitTraces(1, Duration.ofSeconds(90));

        ClaudeCodeRun.Result second = claude.continueLast("KILL-TURN2 one more.");
        assertThat(second.exitCode()).as("%s", second).isZero();
        List<ReceivedTrace> traces = infinium.awaitTraces(2, Duration.ofSeconds(90));
        connector.awaitDeliveriesDone(Duration.ofSeconds(60));
        assertThat(infinium.traces()).as("exactly one trace per turn").hasSize(2);
        assertThat(new HashSet<>(traces.stream().map(ReceivedTrace::idempotencyKey).toList())).hasSize(2);

        ReceivedTrace t1 = traces.get(0);
        assertThat(toolInputs(t1)).containsExactly("echo one", SLOW, "echo three", "exit 3");
        JsonNode steps = t1.body().path("steps");
        assertThat(outputOf(steps, SLOW)).isEqualTo("two");
        assertThat(outputOf(steps, "echo three")).isEqualTo("three");
        assertThat(t1.body().path("errors")).hasSize(1);
        assertThat(t1.body().path("errors").get(0).path("message").asText()).isEqualTo("Exit code 3");
        assertThat(steps.get(steps.size() - 1).path("action").asText()).isEqualTo("assistant_response");
        assertThat(toolInputs(traces.get(1))).containsExactly("echo four");
        // Only the step whose hook was lost says so; the calls read from the transcript by design do not.
        List<String> marked = new ArrayList<>();
        steps.forEach(s -> {
            if (s.path("description").asText().endsWith("[recovered from transcript]")) {
                marked.add(s.path("input_preview").asText());
            }
        });
        assertThat(marked).containsExactly("exit 3");
        assertThat(t1.body().at("/environment/custom_tags/recovered_steps").asInt()).isEqualTo(1);

        Optional<ServerControl.Info> now = control.running();
        assertThat(now).as("the server is back by the end of the session").isPresent();
        assertThat(now.get().pid()).isNotEqualTo(killed.get());
    }

    /** SIGKILLs the server once {@code marker} exists; its pid, or -1 if the marker never came. */
    boolean serverAnswersWithin(Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ServerControl.Info> up = control.running();
            if (up.isPresent() && control.status(up.get(), Duration.ofSeconds(2)).isPresent()) {
                return true;
            }
            Thread.sleep(100); // bounded poll: the server is another process
        }
        return false;
    }

    long killWhenExists(Path marker, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ServerControl.Info> running = control.running();
            if (Files.exists(marker) && running.isPresent()) {
                ServerControl.Info info = running.get();
                ProcessHandle.of(info.pid()).orElseThrow().destroyForcibly();
                while (control.lockHeld()) {
                    Thread.sleep(10);
                }
                return info.pid();
            }
            Thread.sleep(20); // bounded poll: the marker is made by Claude Code's Bash tool
        }
        return -1;
    }

    static List<String> toolInputs(ReceivedTrace t) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : t.body().path("steps")) {
            if (s.path("action").asText().equals("tool_use")) {
                out.add(s.path("input_preview").asText());
            }
        }
        return out;
    }

    static String outputOf(JsonNode steps, String input) {
        for (JsonNode s : steps) {
            if (s.path("input_preview").asText().equals(input)) {
                return s.path("output_preview").asText();
            }
        }
        return null;
    }
}
