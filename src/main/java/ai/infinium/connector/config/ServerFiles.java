package ai.infinium.connector.config;

import ai.infinium.connector.spool.AtomicFiles;
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
    private final Path portSetting;
    private final Map<String, String> env;

    public ServerFiles(UserDirs dirs, Map<String, String> env) {
        this.dir = dirs.state().resolve("server");
        this.portSetting = dirs.config().resolve("server-port");
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

    /** What the last server started in the background ({@code server start} or a hook) printed on standard error. */
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

    /**
     * The port {@code init} chose while {@value #PORT_VARIABLE} was set, in {@code <config dir>/server-port}:
     * the hooks' URLs carry it, so the server a hook starts later, without that variable in the agent's
     * environment, must listen there too.
     */
    public Path portSetting() {
        return portSetting;
    }

    /** The port hooks are installed with: {@value #PORT_VARIABLE}, else the one {@code init} recorded, else this user's default. */
    public int port() throws IOException {
        String v = env.get(PORT_VARIABLE);
        if (v != null && !v.isBlank()) {
            return parsePort(v, PORT_VARIABLE + "=" + v);
        }
        if (Files.isRegularFile(portSetting)) {
            String recorded = Files.readString(portSetting).strip();
            return parsePort(recorded, portSetting + " (" + recorded + ")");
        }
        return PORT_BASE + (int) (uid() % PORT_SPAN);
    }

    /**
     * Records {@value #PORT_VARIABLE} for the servers hooks start later; without the variable it
     * records nothing and the recorded port (if any) stays.
     */
    public void recordPort() throws IOException {
        String v = env.get(PORT_VARIABLE);
        if (v != null && !v.isBlank()) {
            int p = parsePort(v, PORT_VARIABLE + "=" + v);
            AtomicFiles.write(portSetting, (p + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    private static int parsePort(String v, String what) throws IOException {
        try {
            int p = Integer.parseInt(v.trim());
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // the error below
        }
        throw new IOException(what + " is not a port number (1-65535)");
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
