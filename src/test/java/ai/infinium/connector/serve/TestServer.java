package ai.infinium.connector.serve;

import ai.infinium.connector.Context;
import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.config.ServerToken;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real {@link ServerProcess#run} of this JVM on an ephemeral loopback port, on a thread of its
 * own, for one {@link TestEnv}: the same code path as {@code server start --foreground}.
 */
final class TestServer implements AutoCloseable {
    static final Duration START_WAIT = Duration.ofSeconds(20);
    static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestEnv env;
    final ServerFiles files;
    private final CompletableFuture<HookServer> listening = new CompletableFuture<>();
    private final CompletableFuture<ServerProcess.Result> result = new CompletableFuture<>();
    private final Thread thread;
    private HookServer server;

    private TestServer(TestEnv env, Context ctx, Duration idle) {
        this.env = env;
        this.files = new ServerFiles(env.dirs(), env.env());
        this.thread = new Thread(() -> {
            try {
                result.complete(ServerProcess.run(ctx, files, 0, idle, listening::complete));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                listening.completeExceptionally(new IllegalStateException("the run ended without listening"));
            }
        }, "test-server");
        thread.setDaemon(true);
    }

    /** Starts a server and waits (bounded) until it listens. */
    static TestServer start(TestEnv env, Duration idle) throws Exception {
        return start(env, env.context(), idle);
    }

    static TestServer start(TestEnv env, Context ctx, Duration idle) throws Exception {
        TestServer s = new TestServer(env, ctx, idle);
        s.thread.start();
        try {
            s.server = s.listening.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (s.result.isDone()) {
                throw new AssertionError("server did not start: " + s.result.get(), e);
            }
            throw e;
        }
        return s;
    }

    HookServer server() {
        return server;
    }

    int port() {
        return server.port();
    }

    String token() throws IOException {
        return ServerToken.readIfPrivate(files);
    }

    /** A request with everything a real hook sends: token and own Host. */
    RawHttp.Request authorized(RawHttp.Request r) throws IOException {
        return r.header("Host", "127.0.0.1:" + port()).header("Authorization", "Bearer " + token());
    }

    RawHttp.Response postEvent(String agent, byte[] payload) throws IOException {
        return authorized(RawHttp.post("/hook/" + agent)).header("Content-Type", "application/json").body(payload)
                .send(port());
    }

    JsonNode status() throws IOException {
        RawHttp.Response r = authorized(RawHttp.get("/status")).send(port());
        if (r.status() != 200) {
            throw new AssertionError("/status answered " + r.status() + ": " + r.text());
        }
        return JSON.readTree(r.body());
    }

    boolean isDone() {
        return result.isDone();
    }

    /** The run's result, waiting at most {@code max} for it. */
    ServerProcess.Result awaitResult(Duration max) throws Exception {
        try {
            return result.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server run did not end within " + max, e);
        }
    }

    /** Stops it as SIGTERM or {@code /shutdown} would and returns how the run ended. */
    ServerProcess.Result stop() throws Exception {
        server.stop("stopped by the test");
        return awaitResult(STOP_WAIT);
    }

    @Override
    public void close() throws Exception {
        if (server != null && !result.isDone()) {
            stop();
        }
    }
}
