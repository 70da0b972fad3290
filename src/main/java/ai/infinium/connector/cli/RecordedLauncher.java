package ai.infinium.connector.cli;

import ai.infinium.connector.config.UserDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher {@code init} last ran from, in {@code <config dir>/launcher}: how the Claude Code
 * plugin's hook script (plugins/claude-code/hooks/infinium-hook) finds infinium, since Claude Code
 * runs an installed plugin from a copy in its cache, far from this repository or bundle. One line,
 * read by {@code read -r} in POSIX sh, so it must end in a newline.
 */
final class RecordedLauncher {
    static final String FILE = "launcher";

    private RecordedLauncher() {}

    static Path file(UserDirs dirs) {
        return dirs.config().resolve(FILE);
    }

    /** Records the launcher that announced itself in {@code INFINIUM_LAUNCHER}; returns it, or null when there is none. */
    static Path record(UserDirs dirs, Map<String, String> env) throws IOException {
        String launcher = env.get("INFINIUM_LAUNCHER");
        if (launcher == null || launcher.isBlank() || launcher.contains("\n") || !Files.isRegularFile(Path.of(launcher))) {
            return null;
        }
        Path path = Path.of(launcher).toAbsolutePath().normalize();
        Path file = file(dirs);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE + ".tmp");
        Files.writeString(tmp, path + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return path;
    }
}
