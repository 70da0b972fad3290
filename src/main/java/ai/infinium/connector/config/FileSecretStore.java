package ai.infinium.connector.config;

import ai.infinium.connector.spool.AtomicFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fallback secret store: one JSON file, agent id → secret, readable only by its owner
 * (written 0600 through a temp file and a rename, so it is never briefly world-readable).
 */
public final class FileSecretStore implements SecretStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public FileSecretStore(Path file) {
        this.file = file;
    }

    public static FileSecretStore inConfigDir(UserDirs dirs) {
        return new FileSecretStore(dirs.config().resolve("secrets.json"));
    }

    public Path file() {
        return file;
    }

    @Override
    public String kind() {
        return "file fallback";
    }

    @Override
    public String describe() {
        return "stored in " + file + ", readable only by you";
    }

    @Override
    public Optional<String> get(String agentId) throws IOException {
        if (agentId == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode v = read().get(agentId);
        return v == null || !v.isTextual() ? Optional.empty() : Optional.of(v.asText());
    }

    @Override
    public void put(String agentId, String secret) throws IOException {
        ai.infinium.connector.spool.PrivateFiles.ensureDir(file.getParent());
        ObjectNode all = read();
        all.put(agentId, secret);
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
    }

    @Override
    public void delete(String agentId) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        ObjectNode all = read();
        if (all.remove(agentId) != null) {
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
        }
    }

    private ObjectNode read() throws IOException {
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        JsonNode n = JSON.readTree(file.toFile());
        return n instanceof ObjectNode ? (ObjectNode) n : JSON.createObjectNode();
    }
}
