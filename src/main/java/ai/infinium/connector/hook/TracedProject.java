package ai.infinium.connector.hook;

import ai.infinium.connector.config.ProjectConfig;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Which projects take the events of an agent whose hooks are installed for the whole user (Copilot
 * CLI reads no project hooks without a trust step): the nearest {@code .infinium/} at or above the
 * event's cwd must hold {@code config.json} and the agent's marker {@code user-hooks/<agent>},
 * which {@code init --agent <agent>} writes. A few stats, no parsing: a session elsewhere costs
 * the JVM start and nothing more. (ProjectConfig's names are compile-time constants: reading them
 * loads neither that class nor Jackson.)
 */
public final class TracedProject {
    public static final String MARKERS = "user-hooks";

    private TracedProject() {}

    /** The marker that says the project in {@code projectDir} takes {@code agent}'s user-level hook events. */
    public static Path marker(Path projectDir, String agent) {
        return projectDir.resolve(ProjectConfig.DIR).resolve(MARKERS).resolve(agent);
    }

    public static boolean takes(String agent, String cwd) {
        if (cwd == null || cwd.isEmpty()) {
            return false;
        }
        try {
            for (Path dir = Path.of(cwd).toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path infinium = dir.resolve(ProjectConfig.DIR);
                if (Files.isDirectory(infinium)) {
                    return Files.isRegularFile(infinium.resolve(ProjectConfig.FILE)) && Files.exists(marker(dir, agent));
                }
            }
        } catch (InvalidPathException e) {
            return false;
        }
        return false;
    }
}
