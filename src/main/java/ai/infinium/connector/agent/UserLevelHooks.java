package ai.infinium.connector.agent;

import ai.infinium.connector.config.ProjectIndex;
import ai.infinium.connector.config.UserDirs;
import ai.infinium.connector.hook.TracedProject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hooks an agent runs only from the user's own settings (Gemini CLI, Copilot CLI): one install
 * shared by every project of the user. Each project set up for the agent holds its marker
 * ({@link TracedProject}); only those record events, and the shared hooks go with the last of them.
 */
public final class UserLevelHooks {
    private final String agent;
    private final Path project;
    private final Map<String, String> env;

    public UserLevelHooks(String agent, Path project, Map<String, String> env) {
        this.agent = agent;
        this.project = project;
        this.env = env;
    }

    public Path marker() {
        return TracedProject.marker(project, agent);
    }

    public boolean marked() {
        return Files.exists(marker());
    }

    /** Written by {@code init}: this project takes the agent's events. */
    public void mark() throws IOException {
        ai.infinium.connector.spool.PrivateFiles.ensureDir(marker().getParent());
        if (!Files.exists(marker())) {
            Files.createFile(marker());
        }
    }

    public void unmark() throws IOException {
        Files.deleteIfExists(marker());
    }

    /** The other projects set up here that still take the agent's events through the shared hooks. */
    public List<Path> others() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : ProjectIndex.of(new UserDirs(env)).others(project)) {
            if (Files.exists(TracedProject.marker(p, agent))) {
                out.add(p);
            }
        }
        return out;
    }

    /** {@link HookInstaller#keptFor()}: why uninstalling this project leaves the shared hooks, or null. */
    public String keptFor(String displayName) throws IOException {
        List<Path> others = others();
        if (others.isEmpty()) {
            return null;
        }
        return others.get(0) + (others.size() > 1 ? " and " + (others.size() - 1) + " other project(s)" : "")
                + " still trace " + displayName + " with them; uninstalling the last of them removes them";
    }
}
