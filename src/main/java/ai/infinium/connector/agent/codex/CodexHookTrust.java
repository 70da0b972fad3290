package ai.infinium.connector.agent.codex;

import ai.infinium.connector.agent.JsonHookSettings.Position;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Whether Codex has recorded our hooks as trusted. Trusting a hook in {@code /hooks} writes
 * {@code [hooks.state."<hooks file>:<event>:<group>:<handler>"] trusted_hash = "sha256:…"} into
 * config.toml. We can see that a hash was recorded, not recompute it: Codex asks again by itself
 * when a handler changed since.
 */
final class CodexHookTrust {
    private CodexHookTrust() {}

    static String describe(JsonNode toml, Path hooksFile, List<Position> ours) {
        if (ours.isEmpty()) {
            return "hooks not installed";
        }
        int trusted = trusted(toml, hooksFile, ours);
        if (trusted == ours.size()) {
            return "hooks trusted in Codex (" + trusted + "/" + ours.size() + ")";
        }
        return "hooks trusted in Codex: " + trusted + "/" + ours.size()
                + " (start `codex` in the project and trust them with /hooks)";
    }

    /** How many of our handlers Codex has recorded a trusted hash for. */
    static int trusted(JsonNode toml, Path hooksFile, List<Position> ours) {
        int trusted = 0;
        for (Position p : ours) {
            if (toml.path("hooks").path("state").path(key(hooksFile, p)).has("trusted_hash")) {
                trusted++;
            }
        }
        return trusted;
    }

    /** Codex's key for one handler: the hooks file, the event in snake case, the two indexes. */
    static String key(Path hooksFile, Position p) {
        return hooksFile.toAbsolutePath().normalize() + ":" + snake(p.event()) + ":" + p.group() + ":" + p.handler();
    }

    static String snake(String event) {
        return event.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
