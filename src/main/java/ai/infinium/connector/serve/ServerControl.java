package ai.infinium.connector.serve;

import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.config.ServerToken;
import ai.infinium.connector.spool.AtomicFiles;
import ai.infinium.connector.spool.FileLocks;
import ai.infinium.connector.spool.PrivateFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The server seen from outside: is one running (its lock is held), where, and asking it for its
 * status or to stop. A server killed with SIGKILL leaves its info files behind but not its lock,
 * so those files are recognised as stale and never trusted.
 */
public final class ServerControl {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the running server wrote about itself. */
    public record Info(long pid, int port, String startedAt, String version) {
        public String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    private final ServerFiles files;

    public ServerControl(ServerFiles files) {
        this.files = files;
    }

    public ServerFiles files() {
        return files;
    }

    /** True while some process holds the server lock. */
    public boolean lockHeld() throws IOException {
        PrivateFiles.ensureDir(files.dir());
        try (FileLocks.Held h = FileLocks.tryAcquire(files.lock())) {
            return h == null;
        }
    }

    /** The running server's info; empty when none runs (stale files from a killed one are ignored). */
    public Optional<Info> running() throws IOException {
        if (!lockHeld()) {
            return Optional.empty();
        }
        return readInfo();
    }

    /** Info files left by a server that no longer runs; empty when there are none or one runs. */
    public Optional<Info> stale() throws IOException {
        if (lockHeld()) {
            return Optional.empty();
        }
        return readInfo();
    }

    public void removeStaleFiles() throws IOException {
        Files.deleteIfExists(files.portFile());
        Files.deleteIfExists(files.info());
    }

    Optional<Info> readInfo() {
        try {
            if (!Files.isRegularFile(files.info())) {
                return Optional.empty();
            }
            JsonNode n = JSON.readTree(files.info().toFile());
            return Optional.of(new Info(n.path("pid").asLong(), n.path("port").asInt(), n.path("started_at").asText(""),
                    n.path("version").asText("")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Written once the socket listens: the launcher forwards to the port only while this exists. */
    void writeInfo(long pid, int port, String version) throws IOException {
        String json = "{\"pid\":" + pid + ",\"port\":" + port + ",\"started_at\":\"" + Instant.now()
                + "\",\"version\":\"" + version + "\"}\n";
        AtomicFiles.write(files.info(), json.getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(files.portFile(), (port + " " + pid + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** The server's own status document (JSON), or empty when it does not answer. */
    public Optional<JsonNode> status(Info info, Duration timeout) {
        try {
            return Optional.of(JSON.readTree(call(info, "GET", "/status", timeout)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void requestStop(Info info, Duration timeout) throws IOException {
        call(info, "POST", "/shutdown", timeout);
    }

    private byte[] call(Info info, String method, String path, Duration timeout) throws IOException {
        String token = ServerToken.readIfPrivate(files);
        if (token == null) {
            throw new IOException("no server token in " + files.token());
        }
        HttpURLConnection c = (HttpURLConnection) new URL(info.url() + path).openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout((int) timeout.toMillis());
        c.setReadTimeout((int) timeout.toMillis());
        c.setRequestProperty("Authorization", "Bearer " + token);
        if ("POST".equals(method)) {
            c.setDoOutput(true);
            try (OutputStream o = c.getOutputStream()) {
                o.write(new byte[0]);
            }
        }
        int code = c.getResponseCode();
        if (code != 200) {
            throw new IOException("the server answered HTTP " + code);
        }
        try (InputStream in = c.getInputStream()) {
            return in.readAllBytes();
        } finally {
            c.disconnect();
        }
    }
}
