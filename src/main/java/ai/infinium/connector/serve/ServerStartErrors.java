package ai.infinium.connector.serve;

import ai.infinium.connector.config.ServerFiles;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a server started in the background printed on standard error ({@link ServerFiles#startErrors}):
 * the only trace of one that ended at start, since a JVM that cannot start writes nowhere else. A
 * server that comes up empties it, so what is left is news: why the last start failed, or what a
 * running server printed that its log could not hold.
 */
public final class ServerStartErrors {
    private static final int MAX_CHARS = 500;

    /** The last line printed and when the file last changed. */
    public record Last(String line, Instant at) {}

    private ServerStartErrors() {}

    /**
     * For people: what a status of a server that is not running quotes from {@link #read}
     * ({@code last_start_error} and {@code last_start_error_at}); empty when it quotes nothing.
     */
    public static Optional<String> quoted(JsonNode status) {
        return status.has("last_start_error")
                ? Optional.of("the last one started in the background printed (" + status.path("last_start_error_at").asText()
                        + "): " + status.path("last_start_error").asText())
                : Optional.empty();
    }

    public static Optional<Last> read(ServerFiles files) {
        try {
            if (!Files.isRegularFile(files.startErrors(), LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(files.startErrors());
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    // "infinium server: " is this command's own prefix; quoted inside another message it repeats.
                    String line = lines.get(i).strip().replaceFirst("^infinium( server)?: ", "");
                    return Optional.of(new Last(line.length() > MAX_CHARS ? line.substring(0, MAX_CHARS) + "..." : line,
                            Files.getLastModifiedTime(files.startErrors()).toInstant()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable or not text: nothing to quote
        }
        return Optional.empty();
    }

    /** Called by a server once it answers: what it printed while starting is no longer news. */
    static void clear(ServerFiles files) {
        try (FileChannel ch = FileChannel.open(files.startErrors(), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            ch.truncate(0);
        } catch (IOException e) {
            // absent (started in the foreground), or not ours to empty: nothing to clear
        }
    }
}
