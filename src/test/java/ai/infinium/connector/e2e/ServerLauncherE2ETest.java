package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.serve.ServerControl;
import ai.infinium.connector.testing.HookProcess;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command hook in server mode as agents run it, through bin/infinium and the packaged jar:
 * it starts the server when none runs, is forwarded to a running one without a JVM, and falls
 * back to recording the event itself whenever the server cannot take it (killed, wrong token).
 */
@Tag("e2e")
class ServerLauncherE2ETest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path LAUNCHER = Path.of("bin", "infinium").toAbsolutePath();

    @TempDir Path tmp;
    TestEnv env;
    ServerControl control;

    @BeforeEach
    void setUp() {
        assertThat(Path.of("target", "infinium.jar")).as("run through `mvn verify`: the jar is packaged first").exists();
        env = new TestEnv(tmp);
        control = new ServerControl(new ServerFiles(env.dirs(), env.env()));
    }

    @AfterEach
    void tearDown() {
        env.run(tmp, "server", "stop");
    }

    static byte[] event(String name, String toolUseId) {
        return ("{\"session_id\":\"s-launch\",\"transcript_path\":\"/nonexistent/t.jsonl\",\"cwd\":\"/tmp\","
                + "\"prompt_id\":\"p1\",\"hook_event_name\":\"" + name + "\",\"tool_name\":\"Bash\",\"tool_input\":"
                + "{\"command\":\"echo \\u00e9t\\u00e9 \\\"q\\\" \\\\ done\"},\"tool_use_id\":\"" + toolUseId + "\"}\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    List<JsonNode> spool() throws Exception {
        Path f = env.dirs().sessions().resolve("claude-code").resolve("s-launch.jsonl");
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(f)) {
            for (String line : Files.readAllLines(f)) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    HookProcess.Outcome hook(Map<String, String> extra, byte[] payload, String... args) throws Exception {
        Map<String, String> e = new java.util.HashMap<>(env.env());
        e.putAll(extra);
        HookProcess.Outcome o = HookProcess.runLauncher(LAUNCHER, e, payload, args);
        assertThat(o.exitCode()).as("a hook always exits 0").isZero();
        assertThat(o.stdout()).as("a hook prints nothing").isEmpty();
        return o;
    }

    ServerControl.Info awaitServer(long notPid) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ServerControl.Info> up = control.running();
            if (up.isPresent() && up.get().pid() != notPid && control.status(up.get(), Duration.ofSeconds(1)).isPresent()) {
                return up.get();
            }
            Thread.sleep(50); // bounded poll: the server is another process
        }
        throw new AssertionError("no server came up within 30 s");
    }

    long eventsReceived(ServerControl.Info info) {
        return control.status(info, Duration.ofSeconds(2)).orElseThrow().path("events_received").asLong();
    }

    @Test
    void startsTheServerIsForwardedToItAndFallsBackWhenItIsGone() throws Exception {
        // 1. No server: the JVM records the event and starts one.
        hook(Map.of(), event("PreToolUse", "t1"), "--agent", "claude-code", "--server");
        assertThat(spool()).hasSize(1);
        ServerControl.Info first = awaitServer(-1);
        assertThat(eventsReceived(first)).isZero();

        // 2. Server up: forwarded without a JVM (a java that cannot run proves no JVM started).
        hook(Map.of("INFINIUM_JAVA", "/nonexistent/java"), event("PostToolUse", "t1"), "--agent", "claude-code", "--server");
        assertThat(eventsReceived(first)).isEqualTo(1);
        List<JsonNode> lines = spool();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).path("event")).as("the forwarded bytes are the agent's, unchanged")
                .isEqualTo(JSON.readTree(event("PostToolUse", "t1")));
        assertThat(lines.get(0).path("event").path("tool_input"))
                .isEqualTo(lines.get(1).path("event").path("tool_input"));
        // Where bash is missing the launcher forwards with curl: the same, one event more.
        hook(Map.of("INFINIUM_JAVA", "/nonexistent/java", "INFINIUM_FORWARD_CURL", "1"), event("PostToolUse", "t1b"),
                "--agent", "claude-code", "--server");
        assertThat(eventsReceived(first)).isEqualTo(2);
        assertThat(spool().get(2).path("event")).isEqualTo(JSON.readTree(event("PostToolUse", "t1b")));

        // 3. The server refuses (its token changed under the hooks): the JVM records the event, once.
        Path headers = control.files().curlHeaders();
        Path token = control.files().token();
        String goodHeaders = Files.readString(headers);
        String goodToken = Files.readString(token);
        Files.writeString(headers, "Authorization: Bearer not-the-token\n");
        Files.writeString(token, "not-the-token\n");
        hook(Map.of(), event("PreToolUse", "t2"), "--agent", "claude-code", "--server");
        Files.writeString(headers, goodHeaders);
        Files.writeString(token, goodToken);
        assertThat(spool()).hasSize(4);
        assertThat(eventsReceived(first)).as("refused, so not recorded by the server too").isEqualTo(2);

        // 4. Server SIGKILLed: its port file stays behind naming a dead pid; the hook records the
        // event itself and brings a new server up.
        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (control.lockHeld() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.exists(control.files().portFile())).as("a killed server leaves its port file").isTrue();
        hook(Map.of(), event("PostToolUse", "t2"), "--agent", "claude-code", "--server");
        assertThat(spool()).hasSize(5);
        ServerControl.Info second = awaitServer(first.pid());
        assertThat(second.pid()).isNotEqualTo(first.pid());

        // Every event exactly once, in order.
        assertThat(spool().stream().map(n -> n.path("event").path("hook_event_name").asText() + ":"
                + n.path("event").path("tool_use_id").asText()).toList())
                .containsExactly("PreToolUse:t1", "PostToolUse:t1", "PostToolUse:t1b", "PreToolUse:t2", "PostToolUse:t2");
    }

    /** Claude Code signals hooks still running as it exits; a forwarded event must survive that. */
    @Test
    void aForwardedHookSurvivesTheAgentsTerminationSignal() throws Exception {
        hook(Map.of(), event("PreToolUse", "t0"), "--agent", "claude-code", "--server");
        ServerControl.Info server = awaitServer(-1);
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "hook", "--agent", "claude-code", "--server");
        pb.environment().clear();
        pb.environment().putAll(env.env());
        Process p = pb.start();
        p.getOutputStream().write(event("PostToolUse", "t0"));
        p.getOutputStream().flush();
        // The launcher is now reading the event (stdin still open): signal it and its children.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (p.descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
        p.descendants().forEach(ProcessHandle::destroy);
        p.getOutputStream().close();
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(spool()).hasSize(2);
        assertThat(eventsReceived(server)).isEqualTo(1);
    }

    /** The hook ignores the agent's exit signals; the server it starts must not inherit that. */
    @Test
    void aServerStartedByAHookStopsCleanlyOnSigterm() throws Exception {
        hook(Map.of(), event("PreToolUse", "t1"), "--agent", "claude-code", "--server");
        ServerControl.Info server = awaitServer(-1);
        ProcessHandle.of(server.pid()).orElseThrow().destroy(); // SIGTERM
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (control.lockHeld() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(control.lockHeld()).as("stopped by SIGTERM").isFalse();
        assertThat(Files.exists(control.files().portFile())).as("a clean stop removes its port file").isFalse();
    }

    @Test
    void withoutServerFlagNoServerIsStarted() throws Exception {
        hook(Map.of(), event("PreToolUse", "t1"), "--agent", "claude-code");
        assertThat(spool()).hasSize(1);
        // With --server the hook looks at the server's lock (creating its folder) before it exits;
        // without it the hook never touches the server's files, so no server can have been asked for.
        assertThat(control.files().dir()).doesNotExist();
    }

    /**
     * A server that cannot come up is reported with its own words as soon as it ends, not after the
     * whole start wait with a pointer to a log: here another program holds its port.
     */
    @Test
    void serverStartSaysWhyTheServerEndedAtOnce() throws Exception {
        int port = Integer.parseInt(env.env().get(ServerFiles.PORT_VARIABLE));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(taken.isBound()).isTrue();
            ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "server", "start").redirectErrorStream(true);
            pb.environment().putAll(env.env());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isEqualTo(1);
            assertThat(out).contains("infinium server: it stopped as it started (exit 1): port " + port
                    + " on 127.0.0.1 is already in use by another program");
            assertThat(out).doesNotContain("did not answer");
        }
        assertThat(Files.getPosixFilePermissions(control.files().startErrors()))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    /**
     * A server a hook starts in the background has no one waiting for it: when it ends at start,
     * status and doctor quote what it printed, until a server that comes up empties it.
     */
    @Test
    void aServerAHookStartedThatEndedAtStartIsQuotedByStatusAndDoctor() throws Exception {
        int port = Integer.parseInt(env.env().get(ServerFiles.PORT_VARIABLE));
        Path errors = control.files().startErrors();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(taken.isBound()).isTrue();
            hook(Map.of(), event("PreToolUse", "t1"), "--agent", "claude-code", "--server");
            assertThat(spool()).as("the hook recorded the event itself").hasSize(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(Files.exists(errors) && Files.readString(errors).contains("already in use"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50); // bounded poll: the server is another process
            }
        }
        JsonNode server = JSON.readTree(env.run(tmp, "status", "--json").out()).path("server");
        assertThat(server.path("running").asBoolean()).isFalse();
        assertThat(server.path("last_start_error").asText()).startsWith("port " + port + " on 127.0.0.1 is already in use");
        assertThat(env.run(tmp, "status").out()).contains("the last one started in the background printed (");
        JsonNode doctor = JSON.readTree(env.run(tmp, "doctor", "--json").out());
        List<JsonNode> serverChecks = new ArrayList<>();
        doctor.path("checks").forEach(c -> {
            if (c.path("name").asText().equals("server")) {
                serverChecks.add(c);
            }
        });
        assertThat(serverChecks).singleElement().satisfies(c -> {
            assertThat(c.path("level").asText()).isEqualTo("warning");
            assertThat(c.path("what").asText()).contains("already in use");
        });

        // The port is free again: the next hook's server comes up and empties what the last one said.
        hook(Map.of(), event("PostToolUse", "t1"), "--agent", "claude-code", "--server");
        awaitServer(-1);
        assertThat(Files.readString(errors)).isEmpty();
        env.run(tmp, "server", "stop");
        assertThat(JSON.readTree(env.run(tmp, "status", "--json").out()).path("server").has("last_start_error")).isFalse();
    }

    /** The agent's environment lacks INFINIUM_SERVER_PORT: the server a hook starts still listens where init's hooks post. */
    @Test
    void aHookStartsTheServerOnThePortInitRecorded() throws Exception {
        int chosen = Integer.parseInt(env.env().get(ServerFiles.PORT_VARIABLE));
        Path project = Files.createDirectories(tmp.resolve("project"));
        TestEnv.Result init = env.run(project, "init", "--no-interactive", "--agent", "claude-code", "--agent-id",
                "agent-port", "--agent-secret", "port-secret-123456", "--base-url", "http://127.0.0.1:9/api/v1");
        assertThat(init.code()).as(init.toString()).isZero();
        env.with(ServerFiles.PORT_VARIABLE, null);
        hook(Map.of(), event("SessionStart", "t0"), "--agent", "claude-code", "--server");
        assertThat(awaitServer(-1).port()).isEqualTo(chosen);
    }
}
