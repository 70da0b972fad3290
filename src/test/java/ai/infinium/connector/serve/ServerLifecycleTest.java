package ai.infinium.connector.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.Version;
import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.spool.PrivateFiles;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server per user: the lock, the info files, idle shutdown, stale files of a killed server,
 * and the {@code server start|status|stop} commands around them.
 */
class ServerLifecycleTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir Path tmp;
    TestEnv env;
    ServerFiles files;
    ServerControl control;

    @BeforeEach
    void setUp() {
        env = new TestEnv(tmp.resolve("user"));
        files = new ServerFiles(env.dirs(), env.env());
        control = new ServerControl(files);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** A CLI command in-process, on a thread, bounded: a command that wrongly starts serving fails the test. */
    TestEnv.Result cli(String... args) throws Exception {
        return CompletableFuture.supplyAsync(() -> env.run(tmp, args)).get(BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    static byte[] event(String session, String name) {
        return ("{\"session_id\":\"" + session + "\",\"hook_event_name\":\"" + name
                + "\",\"cwd\":\"/tmp\",\"tool_name\":\"Bash\",\"tool_use_id\":\"t1\",\"tool_input\":{\"command\":\"true\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    void assertNoneRunningAndNoFilesLeft() throws IOException {
        assertThat(control.running()).isEmpty();
        assertThat(control.lockHeld()).as("the lock is released").isFalse();
        assertThat(files.info()).doesNotExist();
        assertThat(files.portFile()).doesNotExist();
    }

    // ---------------------------------------------------------------- 6. single instance

    @Test
    void secondRunWithTheSameFilesReportsTheFirstAndLeavesItsFilesAlone() throws Exception {
        try (TestServer first = TestServer.start(env, Duration.ofHours(1))) {
            String infoBefore = Files.readString(files.info());
            AtomicReference<HookServer> secondListened = new AtomicReference<>();

            ServerProcess.Result r = CompletableFuture.supplyAsync(() -> {
                try {
                    return ServerProcess.run(env.context(), new ServerFiles(env.dirs(), env.env()), 0,
                            Duration.ofHours(1), secondListened::set);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).get(BOUND.toSeconds(), TimeUnit.SECONDS);

            assertThat(secondListened.get()).as("the second never listened").isNull();
            assertThat(r).isInstanceOf(ServerProcess.AlreadyRunning.class);
            ServerControl.Info info = ((ServerProcess.AlreadyRunning) r).info().orElseThrow();
            assertThat(info.pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(info.port()).isEqualTo(first.port());
            assertThat(Files.readString(files.info())).isEqualTo(infoBefore);
            assertThat(first.status().path("running").asBoolean()).isTrue();

            TestEnv.Result start = cli("server", "start", "--foreground", "--port", String.valueOf(freePort()));
            assertThat(start.code()).as(start.toString()).isZero();
            assertThat(start.out()).contains("already running: pid " + ProcessHandle.current().pid() + ", "
                    + "http://127.0.0.1:" + first.port());
            assertThat(Files.readString(files.info())).isEqualTo(infoBefore);
            assertThat(first.isDone()).isFalse();
        }
    }

    /** {@code server start --foreground} as a real process of its own, with this user's environment. */
    Process serverProcess(int port, long idleSeconds) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "ai.infinium.connector.Main", "server", "start", "--foreground", "--port", String.valueOf(port),
                "--idle-timeout", String.valueOf(idleSeconds)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env.env());
        return pb.start();
    }

    static String drain(Process p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Polls (bounded) until a server holds the lock and has announced itself. */
    ServerControl.Info awaitRunning() throws Exception {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ServerControl.Info> up = control.running();
            if (up.isPresent() && up.get().port() > 0) {
                return up.get();
            }
            Thread.sleep(50); // bounded poll: the server is another process
        }
        throw new AssertionError("no server came up within " + BOUND);
    }

    @Test
    void aServerInAnotherProcessIsTheOneInstanceAndServerStopEndsIt() throws Exception {
        int port = freePort();
        Process p = serverProcess(port, 600);
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return drain(p);
            } catch (IOException e) {
                return e.toString();
            }
        });
        try {
            ServerControl.Info info = awaitRunning();
            assertThat(info.pid()).isEqualTo(p.pid());
            assertThat(info.port()).isEqualTo(port);

            ServerProcess.Result r = ServerProcess.run(env.context(), files, 0, Duration.ofHours(1), s -> {
                throw new AssertionError("a second server listened on " + s.port());
            });
            assertThat(r).isInstanceOf(ServerProcess.AlreadyRunning.class);
            assertThat(((ServerProcess.AlreadyRunning) r).info()).contains(info);

            TestEnv.Result start = cli("server", "start", "--foreground", "--port", String.valueOf(freePort()));
            assertThat(start.code()).isZero();
            assertThat(start.out()).contains("already running: pid " + p.pid() + ", http://127.0.0.1:" + port);

            TestEnv.Result stop = cli("server", "stop");
            assertThat(stop.code()).as(stop.toString()).isZero();
            assertThat(stop.out()).contains("infinium server stopped (pid " + p.pid() + ")");
            assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the process ended").isTrue();
            assertThat(p.exitValue()).isZero();
            assertNoneRunningAndNoFilesLeft();
            assertThat(output.get(BOUND.toSeconds(), TimeUnit.SECONDS)).contains("listening on http://127.0.0.1:" + port);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aRequestBeingHandledWhenStopBeginsIsAnsweredAndRecordedOnce() throws Exception {
        TestServer s = TestServer.start(env, Duration.ofHours(1));
        // 30 MB: recording it takes long enough that the stop below lands while the handler is inside it.
        byte[] big = ("{\"session_id\":\"in-flight\",\"hook_event_name\":\"PostToolUse\",\"tool_response\":\""
                + "x".repeat(30 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.US_ASCII);
        Path spool = env.dirs().sessions().resolve("claude-code").resolve("in-flight.jsonl");
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                RawHttp.Response r = s.postEvent("claude-code", big);
                return r.status() + " " + r.text();
            } catch (IOException e) {
                return e.toString();
            }
        });
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!Files.exists(spool) && !answer.isDone()) {
            assertThat(System.nanoTime()).as("the spool appeared").isLessThan(deadline);
            Thread.onSpinWait(); // bounded poll, as tight as it gets: the window is the append of 30 MB
        }

        ServerProcess.Result r = s.stop();

        // Cutting the connection under it would leave a recorded event the client saw fail: the launcher's
        // fallback would then record it a second time.
        assertThat(answer.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo("200 {}");
        assertThat(Files.readAllLines(spool)).hasSize(1);
        assertThat(r).isInstanceOf(ServerProcess.Stopped.class);
        assertNoneRunningAndNoFilesLeft();
    }

    // ---------------------------------------------------------------- 7. idle shutdown

    @Test
    void idleServerStopsByItselfRemovesItsFilesAndReleasesTheLock() throws Exception {
        TestServer s = TestServer.start(env, Duration.ofSeconds(1));
        assertThat(control.running()).isPresent();

        ServerProcess.Result r = s.awaitResult(BOUND);

        assertThat(r).isInstanceOf(ServerProcess.Stopped.class);
        assertThat(((ServerProcess.Stopped) r).why()).contains("idle");
        assertNoneRunningAndNoFilesLeft();
        assertThat(Files.readString(env.dirs().state().resolve("infinium.log"))).contains("no events for 1 s, stopping");
    }

    @Test
    void eventsKeepItRunningPastItsIdleTimeout() throws Exception {
        try (TestServer s = TestServer.start(env, Duration.ofSeconds(1))) {
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            int posted = 0;
            while (System.nanoTime() < until) {
                assertThat(s.postEvent("claude-code", event("keepalive", posted % 2 == 0 ? "PreToolUse" : "PostToolUse"))
                        .status()).isEqualTo(200);
                posted++;
                Thread.sleep(300); // the pace of the events, not a wait for anything
            }

            assertThat(s.isDone()).as("still running after 2 s of events with a 1 s idle timeout").isFalse();
            JsonNode status = s.status();
            assertThat(status.path("running").asBoolean()).isTrue();
            assertThat(status.path("events_received").asInt()).isEqualTo(posted);
            assertThat(Files.readAllLines(env.dirs().sessions().resolve("claude-code").resolve("keepalive.jsonl")))
                    .hasSize(posted);

            // Once the events stop, the idle timeout applies again.
            ServerProcess.Result r = s.awaitResult(BOUND);
            assertThat(((ServerProcess.Stopped) r).why()).contains("idle");
        }
        assertNoneRunningAndNoFilesLeft();
    }

    // ---------------------------------------------------------------- 8. restart-safe

    /** The pid of a process that has ended (and been reaped). */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(p.pid())).as("pid %d is gone", p.pid()).isEmpty();
        return p.pid();
    }

    void writeStaleFiles(long pid, int port) throws IOException {
        PrivateFiles.ensureDir(files.dir());
        Files.writeString(files.info(), "{\"pid\":" + pid + ",\"port\":" + port
                + ",\"started_at\":\"2026-01-01T00:00:00Z\",\"version\":\"" + Version.get() + "\"}\n");
        Files.writeString(files.portFile(), port + " " + pid + "\n");
    }

    @Test
    void staleFilesOfAKilledServerAreRecognisedReportedAndReplaced() throws Exception {
        long dead = deadPid();
        int stalePort = freePort();
        writeStaleFiles(dead, stalePort);

        assertThat(control.lockHeld()).isFalse();
        assertThat(control.running()).isEmpty();
        assertThat(control.stale()).map(ServerControl.Info::pid).contains(dead);

        TestEnv.Result status = cli("server", "status", "--json");
        assertThat(status.code()).isEqualTo(1);
        JsonNode n = JSON.readTree(status.out());
        assertThat(n.path("running").asBoolean(true)).isFalse();
        assertThat(n.path("stale_pid").asLong()).isEqualTo(dead);

        try (TestServer s = TestServer.start(env, Duration.ofHours(1))) {
            long me = ProcessHandle.current().pid();
            JsonNode info = JSON.readTree(files.info().toFile());
            assertThat(info.path("pid").asLong()).isEqualTo(me);
            assertThat(info.path("port").asInt()).isEqualTo(s.port());
            assertThat(Files.readString(files.portFile())).isEqualTo(s.port() + " " + me + "\n");
            assertThat(control.stale()).isEmpty();
            assertThat(control.running()).map(ServerControl.Info::port).contains(s.port());
            assertThat(s.postEvent("claude-code", event("after-restart", "PreToolUse")).status()).isEqualTo(200);
        }
        assertNoneRunningAndNoFilesLeft();
    }

    @Test
    void serverStopWithOnlyStaleFilesRemovesThem() throws Exception {
        writeStaleFiles(deadPid(), freePort());

        TestEnv.Result stop = cli("server", "stop");

        assertThat(stop.code()).isZero();
        assertThat(stop.out()).contains("not running").contains("removed the files of one that was killed");
        assertNoneRunningAndNoFilesLeft();
    }

    // ---------------------------------------------------------------- 9. status and stop

    @Test
    void statusJsonDescribesTheRunningServerAndStopEndsIt() throws Exception {
        TestServer s = TestServer.start(env, Duration.ofHours(1));
        assertThat(s.postEvent("claude-code", event("status-1", "PreToolUse")).status()).isEqualTo(200);
        assertThat(s.postEvent("claude-code", event("status-1", "PostToolUse")).status()).isEqualTo(200);

        TestEnv.Result status = cli("server", "status", "--json");

        assertThat(status.code()).as(status.toString()).isZero();
        JsonNode n = JSON.readTree(status.out());
        assertThat(n.path("running").asBoolean()).isTrue();
        assertThat(n.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(n.path("port").asInt()).isEqualTo(s.port());
        assertThat(n.path("url").asText()).isEqualTo("http://127.0.0.1:" + s.port());
        assertThat(n.path("events_received").asLong()).isEqualTo(2);
        assertThat(n.path("sessions_open").asLong()).isEqualTo(1);
        assertThat(n.path("uptime_seconds").isIntegralNumber()).isTrue();
        assertThat(n.path("uptime_seconds").asLong()).isNotNegative();

        TestEnv.Result text = cli("server", "status");
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("running, pid " + ProcessHandle.current().pid()).contains("events received 2");

        TestEnv.Result stop = cli("server", "stop");

        assertThat(stop.code()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("stopped (pid " + ProcessHandle.current().pid() + ")");
        assertThat(((ServerProcess.Stopped) s.awaitResult(BOUND)).why()).isEqualTo("stopped on request");
        assertNoneRunningAndNoFilesLeft();

        TestEnv.Result again = cli("server", "stop");
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("infinium server is not running").doesNotContain("removed");

        TestEnv.Result down = cli("server", "status", "--json");
        assertThat(down.code()).isEqualTo(1);
        JsonNode d = JSON.readTree(down.out());
        assertThat(d.path("running").asBoolean(true)).isFalse();
        assertThat(d.has("stale_pid")).isFalse();
        TestEnv.Result downText = cli("server", "status");
        assertThat(downText.code()).isEqualTo(1);
        assertThat(downText.out()).contains("not running");
    }
}
