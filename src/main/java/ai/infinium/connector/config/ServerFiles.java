package ai.infinium.connector.config;

import ai.infinium.connector.spool.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the per-user server, the hooks that start it, the launcher that forwards to it and
 * {@code init} find each other: one owner-only folder under the user's state directory.
 */
public final class ServerFiles {
    /** Default ports are {@code PORT_BASE + uid % PORT_SPAN}: below Linux's ephemeral range, one per local user. */
    static final int PORT_BASE = 17000;
    static final int PORT_SPAN = 10000;
    public static final String PORT_VARIABLE = "INFINIUM_SERVER_PORT";

    private final Path dir;
    private final Map<String, String> env;

    public ServerFiles(UserDirs dirs, Map<String, String> env) {
        this.dir = dirs.state().resolve("server");
        this.env = env;
    }

    public Path dir() {
        return dir;
    }

    /** Held by the running server for its whole life: the OS drops it when the process dies. */
    public Path lock() {
        return dir.resolve("server.lock");
    }

    /** pid, port, start time and version of the running server (JSON; removed on a clean stop). */
    public Path info() {
        return dir.resolve("server.json");
    }

    /** The port alone, for the launcher's forwarding (read with a shell builtin). */
    public Path portFile() {
        return dir.resolve("port");
    }

    /** What the JVM of the server {@code server start} spawned last printed on standard error: why it did not come up. */
    public Path startErrors() {
        return dir.resolve("start-errors.txt");
    }

    public Path token() {
        return dir.resolve("token");
    }

    /** {@code Authorization: Bearer …} for {@code curl -H @file}: a token on a command line is visible in ps. */
    public Path curlHeaders() {
        return dir.resolve("curl-headers");
    }

    /** The port hooks are installed with: {@value #PORT_VARIABLE}, else this user's default. */
    public int port() throws IOException {
        String v = env.get(PORT_VARIABLE);
        if (v != null && !v.isBlank()) {
            try {
                int p = Integer.parseInt(v.trim());
                if (p > 0 && p < 65536) {
                    return p;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
            throw new IOException(PORT_VARIABLE + "=" + v + " is not a port number (1-65535)");
        }
        return PORT_BASE + (int) (uid() % PORT_SPAN);
    }

    /** The owner of a folder we create is our effective uid; 0 where the OS has no uids (Windows). */
    private long uid() throws IOException {
        PrivateFiles.ensureDir(dir);
        try {
            Object uid = Files.getAttribute(dir, "unix:uid");
            return uid instanceof Integer i ? Integer.toUnsignedLong(i) : 0;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        }
    }
}
