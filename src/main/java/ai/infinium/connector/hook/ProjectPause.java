package ai.infinium.connector.hook;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * {@code infinium pause} leaves a marker file in the project's {@code .infinium/} directory; the
 * hook checks for it walking up from the event's cwd (a stat per level, no parsing).
 */
public final class ProjectPause {
    public static final String MARKER = "paused";

    private ProjectPause() {}

    public static boolean isPaused(String cwd) {
        if (cwd == null || cwd.isEmpty()) {
            return false;
        }
        try {
            for (Path dir = Path.of(cwd).toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path infinium = dir.resolve(".infinium");
                if (Files.isDirectory(infinium)) {
                    return Files.exists(infinium.resolve(MARKER));
                }
            }
        } catch (InvalidPathException e) {
            return false;
        }
        return false;
    }
}
