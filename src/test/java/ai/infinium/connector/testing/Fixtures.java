package ai.infinium.connector.testing;

import ai.infinium.connector.demo.RecordedSession;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The captured Claude Code 2.1.330 and Codex 0.169.0 sessions under src/test/resources/fixtures
 * (and the synthesised sessions of older versions beside them), ready to replay.
 */
public final class Fixtures {
    private Fixtures() {}

    /** Copies the scenario's transcripts under {@code root/claude} and returns the session to replay. */
    public static RecordedSession claudeCode(Path root, String scenario) throws IOException {
        return claudeCode(root, "claude-code-2.1.330", scenario);
    }

    /** The same for the fixtures of another Claude Code version ({@code claude-code-<version>}). */
    public static RecordedSession claudeCode(Path root, String client, String scenario) throws IOException {
        RecordedSession s = new RecordedSession("/fixtures/" + client + "/" + scenario + "/", root.resolve("claude"),
                "/tmp/harness-claude/config");
        s.installTranscripts();
        return s;
    }

    /** One captured hook payload, read straight from the fixture (not through the code under test). */
    public static com.fasterxml.jackson.databind.JsonNode payload(String client, String scenario, String file)
            throws IOException {
        try (java.io.InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + client + "/" + scenario + "/" + file)) {
            if (in == null) {
                throw new IOException("no fixture " + client + "/" + scenario + "/" + file);
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
    }

    /**
     * When each hook event of a Claude Code scenario reached the capturing hook, in firing order
     * ({@code arrivals.txt}, taken from the capture's {@code _hook_calls.jsonl}): the clock the
     * transcripts' timestamps are on.
     */
    public static java.util.Map<String, String> claudeArrivals(String scenario) throws IOException {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        String res = "/fixtures/claude-code-2.1.330/" + scenario + "/arrivals.txt";
        try (java.io.InputStream in = Fixtures.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IOException("no fixture " + res);
            }
            for (String l : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank()) {
                    String[] parts = l.trim().split(" ");
                    out.put(parts[0], parts[1]);
                }
            }
        }
        return out;
    }

    /** Copies the scenario's rollouts under {@code root/codex-home} and returns the session to replay. */
    public static RecordedSession codex(Path root, String scenario) throws IOException {
        return codex(root, "codex-0.169.0", scenario);
    }

    /** The same for the fixtures of another Codex version ({@code codex-<version>}). */
    public static RecordedSession codex(Path root, String client, String scenario) throws IOException {
        RecordedSession s = new RecordedSession("/fixtures/" + client + "/" + scenario + "/", root.resolve("codex-home"),
                "/tmp/harness-codex/home");
        s.installTranscripts();
        return s;
    }
}
