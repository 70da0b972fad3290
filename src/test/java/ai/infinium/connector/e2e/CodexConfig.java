package ai.infinium.connector.e2e;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code $CODEX_HOME/config.toml} that points Codex 0.169.0 at the fake Responses API and keeps
 * it offline. Written as plain TOML (top-level keys first, then one standard table each, every
 * string quoted) so a TOML library reading and rewriting the file, as the connector's installer
 * does, round-trips it.
 *
 * @param features     extra {@code [features]} entries; they override the defaults below
 * @param trustedPaths directories to mark {@code trust_level = "trusted"}: only then does Codex load
 *                     a project's {@code .codex/hooks.json}
 */
record CodexConfig(String baseUrl, String model, String provider, String apiKeyEnv, Map<String, Boolean> features,
        List<Path> trustedPaths) {

    /**
     * Features off by default because they would reach the network: {@code plugins} makes every
     * start run {@code git ls-remote https://github.com/openai/plugins.git}; request compression
     * (zstd, which the fake cannot read) is meant for OpenAI's own endpoints only.
     */
    private static final Map<String, Boolean> DEFAULT_FEATURES = Map.of("plugins", false,
            "enable_request_compression", false);

    String render() {
        StringBuilder toml = new StringBuilder();
        toml.append("# Written by the e2e harness (CodexRun): Codex against a loopback fake of the Responses API.\n");
        toml.append("model = ").append(string(model)).append('\n');
        toml.append("model_provider = ").append(string(provider)).append('\n');
        // Headless runs: never ask for approval, run commands without Codex's own sandbox (bwrap
        // needs user namespaces a CI container may not have).
        toml.append("approval_policy = \"never\"\n");
        toml.append("sandbox_mode = \"danger-full-access\"\n");

        toml.append('\n').append("[model_providers.").append(bareKey(provider)).append("]\n");
        toml.append("name = ").append(string("Infinium e2e fake")).append('\n');
        toml.append("base_url = ").append(string(baseUrl)).append('\n');
        toml.append("wire_api = \"responses\"\n");
        toml.append("env_key = ").append(string(apiKeyEnv)).append('\n');
        // One call per step: an injected error fails the turn at once instead of after backed-off retries.
        toml.append("request_max_retries = 0\n");
        toml.append("stream_max_retries = 0\n");

        Map<String, Boolean> allFeatures = new LinkedHashMap<>(new TreeMap<>(DEFAULT_FEATURES));
        allFeatures.putAll(features);
        toml.append("\n[features]\n");
        allFeatures.forEach((name, enabled) -> toml.append(bareKey(name)).append(" = ").append(enabled).append('\n'));

        for (Path path : trustedPaths) {
            toml.append("\n[projects.").append(string(path.toString())).append("]\n");
            toml.append("trust_level = \"trusted\"\n");
        }
        return toml.toString();
    }

    /** A TOML basic string. */
    static String string(String value) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\t' -> s.append("\\t");
                case '\r' -> s.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        return s.append('"').toString();
    }

    private static String bareKey(String key) {
        if (!key.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("not a bare TOML key: " + key);
        }
        return key;
    }
}
