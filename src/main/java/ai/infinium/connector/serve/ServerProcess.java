package ai.infinium.connector.serve;

import ai.infinium.connector.Context;
import ai.infinium.connector.Version;
import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.config.ServerToken;
import ai.infinium.connector.spool.FileLocks;
import ai.infinium.connector.spool.PrivateFiles;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One server's life in this process: take the per-user lock (single instance), bind, announce
 * the port, serve until stopped (request, idle time, SIGTERM), clean up. The lock is taken
 * before anything is written, so a second server never overwrites the first one's files.
 */
public final class ServerProcess {
    /** How the run ended. */
    public sealed interface Result permits AlreadyRunning, Stopped {}

    public record AlreadyRunning(Optional<ServerControl.Info> info) implements Result {}

    public record Stopped(String why) implements Result {}

    private ServerProcess() {}

    /**
     * @param listening told the port once the socket listens
     * @throws IOException when the port is taken by another program (a message a user acts on)
     */
    public static Result run(Context ctx, ServerFiles files, int port, Duration idleTimeout,
            Consumer<HookServer> listening) throws IOException, InterruptedException {
        ServerControl control = new ServerControl(files);
        PrivateFiles.ensureDir(files.dir());
        FileLocks.Held lock = FileLocks.tryAcquire(files.lock());
        if (lock == null) {
            return new AlreadyRunning(control.readInfo());
        }
        try {
            control.removeStaleFiles();
            String token = ServerToken.loadOrCreate(files);
            HookServer server = new HookServer(ctx, token, idleTimeout);
            try {
                server.start(port);
            } catch (BindException e) {
                throw new IOException("port " + port + " on 127.0.0.1 is already in use by another program. Pick "
                        + "another with `" + ServerFiles.PORT_VARIABLE + "=N infinium init` in each project: the hooks "
                        + "and the servers they start use it from then on", e);
            }
            try {
                control.writeInfo(ProcessHandle.current().pid(), server.port(), Version.get());
            } catch (IOException | RuntimeException e) {
                server.stop("could not announce the port: " + e.getMessage()); // no server nobody can find
                throw e;
            }
            ServerStartErrors.clear(files);
            Thread onSignal = new Thread(() -> {
                server.stop("terminated by a signal");
                try {
                    control.removeStaleFiles();
                } catch (IOException ignored) {
                    // the next server recognises them as stale
                }
            }, "infinium-signal");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                listening.accept(server);
            } catch (RuntimeException e) {
                server.stop("failed after start: " + e);
            }
            String why = server.awaitStop();
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException alreadyExiting) {
                // the hook is running: it does the cleanup
            }
            control.removeStaleFiles();
            ctx.log().info("server: stopped (" + why + ")");
            return new Stopped(why);
        } finally {
            lock.close();
        }
    }
}
