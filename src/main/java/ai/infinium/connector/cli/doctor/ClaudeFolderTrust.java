package ai.infinium.connector.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether Claude Code has recorded that the user trusts the project folder: until the trust dialog
 * was accepted once, an interactive {@code claude} runs no project hooks. Claude Code keeps this in
 * {@code .claude.json} ({@code projects[dir].hasTrustDialogAccepted}, a trusted parent folder
 * counting too); doctor only reads it.
 */
public final class ClaudeFolderTrust {
    static final String NAME = "claude folder trust";

    private ClaudeFolderTrust() {}

    /** @param home the user's home; {@code CLAUDE_CONFIG_DIR} moves the file as it does for Claude Code */
    public static Check of(Path projectDir, Path home, Map<String, String> env) {
        String configDir = env.get("CLAUDE_CONFIG_DIR");
        Path file = (configDir != null && !configDir.isBlank() ? Path.of(configDir) : home).resolve(".claude.json");
        String fix = "start `claude` in " + projectDir + " once and accept the trust dialog";
        if (!Files.isRegularFile(file)) {
            return Check.warning(NAME, "no " + file + " yet, so Claude Code has not been told to trust " + projectDir
                    + " (interactive sessions run no project hooks until then)", fix);
        }
        JsonNode projects;
        try {
            projects = new ObjectMapper().readTree(file.toFile()).path("projects");
        } catch (IOException e) {
            return Check.warning(NAME, file + " cannot be read (" + e.getMessage() + "), so the folder trust is unknown", fix);
        }
        for (Path dir = projectDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (projects.path(dir.toString()).path("hasTrustDialogAccepted").asBoolean(false)) {
                return Check.ok(NAME, dir.equals(projectDir) ? projectDir + " is trusted"
                        : projectDir + " is trusted through " + dir);
            }
        }
        return Check.warning(NAME, "Claude Code has not recorded trust for " + projectDir + " in " + file
                + " (interactive sessions run no project hooks until then)", fix);
    }
}
