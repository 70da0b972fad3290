package ai.infinium.connector.project;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The git work tree a directory is in: the nearest directory at or above it that has a {@code .git}. */
public final class WorkTree {
    private WorkTree() {}

    /** The work tree's root, or empty outside one; {@code .git} may be a directory or a file (worktrees). */
    public static Optional<Path> rootOf(Path dir) {
        if (dir == null) {
            return Optional.empty();
        }
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
