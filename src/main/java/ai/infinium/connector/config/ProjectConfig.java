package ai.infinium.connector.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ai.infinium.connector.spool.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A project's {@code .infinium/config.json}: the agent id, base URL, granularity, redaction and
 * OTLP settings, never a secret. Found by walking up from a directory, as git finds {@code .git}.
 *
 * @param otlp where spans also go; null when the project exports no OTLP
 * @param infinium false when the project said {@code --no-infinium}: no traces to Infinium from here
 */
public record ProjectConfig(Path projectDir, String agentId, String baseUrl, String granularity, Redaction redaction,
        OtlpConfig otlp, boolean infinium) {
    public static final String DIR = ".infinium";
    public static final String FILE = "config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The file's {@code redact} object as written: {@code enabled} (null when not said),
     * {@code extra} and {@code allow} regexes, and what is wrong with it, in words (null when
     * nothing). Read leniently so a typo there cannot stop {@code pause} or {@code uninstall};
     * the flush refuses to send while a problem stands.
     */
    public record Redaction(Boolean enabled, List<String> extra, List<String> allow, String problem) {
        public static final Redaction UNSET = new Redaction(null, List.of(), List.of(), null);
        public static final String KEY = "redact";
    }

    public ProjectConfig(Path projectDir, String agentId, String baseUrl, String granularity) {
        this(projectDir, agentId, baseUrl, granularity, Redaction.UNSET, null, true);
    }

    /** The same project with these export settings, to {@link #write}. */
    public ProjectConfig exportingTo(OtlpConfig newOtlp, boolean toInfinium) {
        return new ProjectConfig(projectDir, toInfinium ? agentId : null, baseUrl, granularity, redaction, newOtlp,
                toInfinium);
    }

    /** What is wrong with the file's settings that the flush must not guess past; null when nothing. */
    public String problem() {
        if (redaction.problem() != null) {
            return redaction.problem();
        }
        return otlp == null ? null : otlp.problem();
    }

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
            JsonNode infinium = n.get("infinium");
            return new ProjectConfig(projectDir, text(n, "agent_id"), text(n, "base_url"), text(n, "granularity"),
                    redaction(n.get(Redaction.KEY), f), OtlpConfig.parse(n.get(OtlpConfig.KEY), f),
                    infinium == null || !infinium.isBoolean() || infinium.booleanValue());
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
        if (agentId != null) {
            n.put("agent_id", agentId);
        } else {
            n.remove("agent_id");
        }
        if (infinium) {
            n.remove("infinium");
        } else {
            n.put("infinium", false);
        }
        if (otlp == null) {
            n.remove(OtlpConfig.KEY);
        } else if (otlp.problem() == null) {
            otlp.writeTo(n);
        } // else: a setting it could not read is left as the person wrote it, for them to fix
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

    private static Redaction redaction(JsonNode r, Path f) {
        if (r == null || r.isNull()) {
            return Redaction.UNSET;
        }
        String where = f + ": " + Redaction.KEY;
        if (!r.isObject()) {
            return new Redaction(null, List.of(), List.of(),
                    where + " must be an object such as {\"enabled\": true, \"extra\": [], \"allow\": []}");
        }
        List<String> problems = new ArrayList<>();
        JsonNode on = r.get("enabled");
        Boolean enabled = null;
        if (on != null && !on.isNull()) {
            if (on.isBoolean()) {
                enabled = on.booleanValue();
            } else {
                problems.add(where + ".enabled must be true or false, not " + on);
            }
        }
        List<String> extra = regexes(r.get("extra"), where + ".extra", problems);
        List<String> allow = regexes(r.get("allow"), where + ".allow", problems);
        for (java.util.Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!List.of("enabled", "extra", "allow").contains(k)) {
                problems.add(where + " has no setting \"" + k + "\" (known: enabled, extra, allow)");
            }
        }
        return new Redaction(enabled, extra, allow, problems.isEmpty() ? null : String.join("; ", problems));
    }

    private static List<String> regexes(JsonNode list, String where, List<String> problems) {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            problems.add(where + " must be a list of regular expressions");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode v = list.get(i);
            if (!v.isTextual() || v.asText().isEmpty()) {
                problems.add(where + "[" + i + "] must be a non-empty string, not " + v);
                continue;
            }
            try {
                java.util.regex.Pattern.compile(v.asText());
                out.add(v.asText());
            } catch (java.util.regex.PatternSyntaxException e) {
                problems.add(where + "[" + i + "] is not a valid regular expression (" + e.getDescription() + " near index "
                        + e.getIndex() + " of " + v.asText() + ")");
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }
}
