package ai.infinium.connector.config;

import ai.infinium.connector.spool.AtomicFiles;
import ai.infinium.connector.spool.FileLocks;
import ai.infinium.connector.spool.PrivateFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The projects this user has set up, project dir → agent id, so that {@code uninstall} in one
 * clone or worktree keeps the secret the others still use. The project's own
 * {@code .infinium/config.json} stays the truth: an entry whose project no longer says that agent
 * id (deleted, re-initialised, moved) counts for nothing and is dropped on the next change.
 */
public final class ProjectIndex {
    public static final String FILE = "projects.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public ProjectIndex(Path file) {
        this.file = file;
    }

    public static ProjectIndex of(UserDirs dirs) {
        return new ProjectIndex(dirs.state().resolve(FILE));
    }

    public void record(Path project, String agentId) throws IOException {
        change(all -> all.put(key(project), agentId));
    }

    /** Records the project unless it already is, as it is: for commands that only look. */
    public void ensure(Path project, String agentId) throws IOException {
        if (!agentId.equals(read().path(key(project)).asText(null))) {
            record(project, agentId);
        }
    }

    public void forget(Path project) throws IOException {
        change(all -> all.remove(key(project)));
    }

    /** The other projects whose config still names {@code agentId}. */
    public List<Path> othersUsing(String agentId, Path except) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : read().properties()) {
            if (!e.getKey().equals(key(except)) && agentId.equals(e.getValue().asText())
                    && agentId.equals(currentAgentId(Path.of(e.getKey())))) {
                out.add(Path.of(e.getKey()));
            }
        }
        return out;
    }

    /** The other projects set up here that still have their config, whatever their agent id. */
    public List<Path> others(Path except) throws IOException {
        List<Path> out = new ArrayList<>(projects());
        out.removeIf(p -> key(p).equals(key(except)));
        return out;
    }

    /** Every recorded project whose config is still there, whatever its agent id. */
    public List<Path> projects() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : read().properties()) {
            Path p = Path.of(e.getKey());
            if (Files.isRegularFile(p.resolve(ProjectConfig.DIR).resolve(ProjectConfig.FILE))) {
                out.add(p);
            }
        }
        return out;
    }

    private static String currentAgentId(Path project) {
        try {
            return Files.isRegularFile(project.resolve(ProjectConfig.DIR).resolve(ProjectConfig.FILE))
                    ? ProjectConfig.read(project).agentId() : null;
        } catch (ConfigException | RuntimeException e) {
            return null; // a damaged config keeps no secret alive
        }
    }

    private interface Change {
        void apply(ObjectNode all);
    }

    /** Read, change, prune and write under a lock: two inits at once must not lose each other's entry. */
    private void change(Change c) throws IOException {
        PrivateFiles.ensureDir(file.getParent());
        try (FileLocks.Held lock = FileLocks.acquire(file.resolveSibling(FILE + ".lock"), Duration.ofSeconds(10))) {
            if (lock == null) {
                throw new IOException("the project index " + file + " stayed locked for 10 s");
            }
            ObjectNode all = read();
            c.apply(all);
            List<String> gone = new ArrayList<>();
            all.properties().forEach(e -> {
                if (!Files.isDirectory(Path.of(e.getKey()).resolve(ProjectConfig.DIR))) {
                    gone.add(e.getKey());
                }
            });
            all.remove(gone);
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
        }
    }

    private ObjectNode read() throws IOException {
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return n instanceof ObjectNode ? (ObjectNode) n : JSON.createObjectNode();
        } catch (com.fasterxml.jackson.core.JsonProcessingException damaged) {
            // Rebuilt as projects are set up again; meanwhile a secret may be removed too early, never leaked.
            return JSON.createObjectNode();
        }
    }

    private static String key(Path project) {
        return project.toAbsolutePath().normalize().toString();
    }
}
