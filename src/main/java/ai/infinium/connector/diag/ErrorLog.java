package ai.infinium.connector.diag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * The connector's own log: where the hook and the flush worker report what went wrong, since
 * neither may write to the agent's terminal. Capped so a broken setup can never fill a disk.
 */
public final class ErrorLog {
    public static final long MAX_BYTES = 1_000_000;
    private final Path file;

    public ErrorLog(Path stateDir) {
        this.file = stateDir.resolve("infinium.log");
    }

    public Path file() {
        return file;
    }

    public void write(String level, String message) {
        try {
            ai.infinium.connector.spool.PrivateFiles.ensureDir(file.getParent());
            if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
                Files.move(file, file.resolveSibling("infinium.log.1"), StandardCopyOption.REPLACE_EXISTING);
            }
            String line = Instant.now() + " " + level + " " + oneLine(message) + "\n";
            ai.infinium.connector.spool.PrivateFiles.append(file, line.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException ignored) {
            // Logging is best effort: a read-only or full disk must not turn into a failing hook.
        }
    }

    public void error(String message) {
        write("ERROR", message);
    }

    public void info(String message) {
        write("INFO", message);
    }

    private static String oneLine(String s) {
        String t = s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
        return t.length() > 4000 ? t.substring(0, 4000) + "…" : t;
    }
}
