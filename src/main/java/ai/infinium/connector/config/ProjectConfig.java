package ai.infinium.connector.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ai.infinium.connector.spool.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A project's {@code .infinium/config.json}: the agent id, base URL and granularity, never the
 * secret. Found by walking up from a directory, as git finds {@code .git}.
 */
public record ProjectConfig(Path projectDir, String agentId, String baseUrl, String granularity) {
    public static final String DIR = ".infinium";
    public static final String FILE = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Path file() {
        return projectDir.resolve(DIR).resolve(FILE);
    }

    /** The nearest project config at or above {@code start}. */
    public static Optional<ProjectConfig> find(Path start) throws ConfigException {
        if (start == null) {
            return Optional.empty();
        }
        Path dir;
        try {
            dir = start.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
        for (; dir != null; dir = dir.getParent()) {
            Path f = dir.resolve(DIR).resolve(FILE);
            if (Files.isRegularFile(f)) {
                return Optional.of(read(dir));
            }
        }
        return Optional.empty();
    }

    public static ProjectConfig read(Path projectDir) throws ConfigException {
        Path f = projectDir.resolve(DIR).resolve(FILE);
        try {
            JsonNode n = JSON.readTree(f.toFile());
            if (n == null || !n.isObject()) {
                throw new ConfigException(f + " is not a JSON object; fix it or run `infinium init` again");
            }
            return new ProjectConfig(projectDir, text(n, "agent_id"), text(n, "base_url"), text(n, "granularity"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(f + " is not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("")
                    + "): fix the file or run `infinium init` again");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + f + ": " + ai.infinium.connector.diag.ErrorWords.of(e)
                    + " (fix the file or run `infinium init` again)");
        }
    }

    public void write() throws IOException {
        Path f = file();
        // What is traced here is nobody else's business: the folder is owner-only, even one made before.
        ai.infinium.connector.spool.PrivateFiles.ensureDir(f.getParent());
        try {
            Files.setPosixFilePermissions(f.getParent(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the user's profile ACLs apply
        }
        ObjectNode n = Files.isRegularFile(f) ? existing(f) : JSON.createObjectNode();
        n.put("agent_id", agentId);
        if (baseUrl != null) {
            n.put("base_url", baseUrl);
        } else {
            n.remove("base_url");
        }
        n.put("granularity", granularity == null ? "turn" : granularity);
        AtomicFiles.write(f, (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n").getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
    }

    private static ObjectNode existing(Path f) {
        try {
            JsonNode n = JSON.readTree(f.toFile());
            return n instanceof ObjectNode ? (ObjectNode) n : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
