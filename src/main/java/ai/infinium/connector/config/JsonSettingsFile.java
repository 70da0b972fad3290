package ai.infinium.connector.config;

import ai.infinium.connector.spool.AtomicFiles;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes a user's JSON settings file (e.g. {@code .claude/settings.local.json}),
 * keeping key order and writing the 2-space style of {@code JSON.stringify(x, null, 2)} so our
 * edits show as small diffs.
 */
public final class JsonSettingsFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public JsonSettingsFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public boolean exists() {
        return Files.isRegularFile(file);
    }

    /** The file's object, or an empty one if the file does not exist or is empty. */
    public ObjectNode read() throws ConfigException {
        if (!exists()) {
            return JSON.createObjectNode();
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.isBlank()) {
                return JSON.createObjectNode();
            }
            JsonNode n = JSON.readTree(text);
            if (!(n instanceof ObjectNode)) {
                throw new ConfigException(file + " does not hold a JSON object; fix it by hand, then run this again");
            }
            return (ObjectNode) n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(file + " is not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("")
                    + lineOf(e) + "); it was left untouched: fix it by hand, then run this again");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + ai.infinium.connector.diag.ErrorWords.of(e));
        }
    }

    private static String lineOf(com.fasterxml.jackson.core.JsonProcessingException e) {
        return e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr();
    }

    public void write(ObjectNode root) throws IOException {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""));
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        pp.indentObjectsWith(indenter);
        pp.indentArraysWith(indenter);
        String text = JSON.writer(pp).writeValueAsString(root) + "\n";
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
