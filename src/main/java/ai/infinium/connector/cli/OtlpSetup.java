package ai.infinium.connector.cli;

import ai.infinium.connector.config.OtlpConfig;
import ai.infinium.connector.config.OtlpDestination;
import ai.infinium.connector.config.SecretStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code init}'s OTLP options, turned into the project's {@link OtlpConfig}: checked before
 * anything is written, header values that are credentials kept for the secret store.
 */
final class OtlpSetup {
    static final Options OPTIONS = Options.of(
            Option.value("--otlp-endpoint", "URL", "also export every trace as OpenTelemetry spans (OTLP/HTTP) to this",
                    "collector or backend: its base URL (http://localhost:4318, /v1/traces",
                    "is added as OTEL_EXPORTER_OTLP_ENDPOINT does) or the full traces URL"),
            Option.value("--otlp-header", "K=V", "a header for every export (repeat for more; replaces the stored set).",
                    "Values that look like credentials (authorization, api keys, tokens)",
                    "go to the secret store, never into the project file").repeating(),
            Option.value("--otlp-protocol", "P", "http/protobuf (default) or http/json"),
            Option.flag("--otlp-content", "put prompts, tool arguments and results and answers (redacted) into",
                    "the spans; off by default: only names, timing, tokens and errors"),
            Option.flag("--no-otlp-content", "stop sending that text"),
            Option.flag("--no-otlp", "stop exporting spans from this project"),
            Option.flag("--no-infinium", "send to the OTLP endpoint only: no Infinium agent id or secret needed"));
    private static final java.util.regex.Pattern HEADER_NAME = java.util.regex.Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /** The settings to write, and the secret header values to store with them. */
    record Plan(OtlpConfig config, Map<String, String> secretValues) {
        boolean exports() {
            return config != null;
        }
    }

    private OtlpSetup() {}

    static Plan plan(Args args, OtlpConfig existing) throws UsageException {
        boolean touched = args.value("--otlp-endpoint") != null || !args.values("--otlp-header").isEmpty()
                || args.value("--otlp-protocol") != null || args.has("--otlp-content") || args.has("--no-otlp-content");
        if (args.has("--no-otlp")) {
            if (touched) {
                throw new UsageException("--no-otlp cannot be combined with other --otlp options");
            }
            return new Plan(null, Map.of());
        }
        if (!touched) {
            return new Plan(existing, Map.of());
        }
        String endpoint = args.value("--otlp-endpoint") != null ? args.value("--otlp-endpoint").trim()
                : existing == null ? null : existing.endpoint();
        if (endpoint == null) {
            throw new UsageException("the --otlp options need --otlp-endpoint URL (where the spans go)");
        }
        String bad = OtlpConfig.endpointProblem(endpoint);
        if (bad != null) {
            throw new UsageException("--otlp-endpoint " + bad);
        }
        String protocol = args.value("--otlp-protocol") != null ? args.value("--otlp-protocol").trim()
                : existing == null ? null : existing.protocol();
        if (protocol != null && !OtlpConfig.PROTOCOLS.contains(protocol)) {
            throw new UsageException("--otlp-protocol is " + String.join(" or ", OtlpConfig.PROTOCOLS) + " (got '"
                    + protocol + "')");
        }
        if (args.has("--otlp-content") && args.has("--no-otlp-content")) {
            throw new UsageException("--otlp-content and --no-otlp-content contradict each other");
        }
        boolean content = args.has("--otlp-content") || !args.has("--no-otlp-content") && existing != null
                && existing.content();
        Map<String, String> plain = new LinkedHashMap<>(existing == null ? Map.of() : existing.headers());
        List<String> secret = new ArrayList<>(existing == null ? List.of() : existing.secretHeaders());
        Map<String, String> secretValues = new LinkedHashMap<>();
        if (!args.values("--otlp-header").isEmpty()) {
            plain.clear();
            secret.clear();
            for (String h : args.values("--otlp-header")) {
                int eq = h.indexOf('=');
                String name = eq < 0 ? h.trim() : h.substring(0, eq).trim();
                if (eq < 0 || !HEADER_NAME.matcher(name).matches()) {
                    throw new UsageException("--otlp-header takes NAME=VALUE with a header name of letters, digits and "
                            + "-, not '" + (eq < 0 ? h : name) + "'");
                }
                String value = h.substring(eq + 1).trim();
                if (OtlpDestination.looksSecret(name, value)) {
                    secret.add(name);
                    secretValues.put(name, value);
                } else {
                    plain.put(name, value);
                }
            }
        }
        return new Plan(new OtlpConfig(endpoint, protocol, plain, secret, content, null), secretValues);
    }

    /** Stores the secret header values; those the new settings no longer name are deleted. */
    static void storeSecrets(Plan plan, OtlpConfig before, Path project, SecretStore store) throws IOException {
        for (Map.Entry<String, String> e : plan.secretValues().entrySet()) {
            store.put(OtlpConfig.secretAccount(project, e.getKey()), e.getValue());
        }
        if (before != null) {
            for (String old : before.secretHeaders()) {
                if (plan.config() == null || plan.config().secretHeaders().stream().noneMatch(old::equalsIgnoreCase)) {
                    store.delete(OtlpConfig.secretAccount(project, old));
                }
            }
        }
    }

    /** The line {@code init} prints about it. */
    static String describe(Plan plan) {
        OtlpConfig c = plan.config();
        String headers = c.headers().isEmpty() && c.secretHeaders().isEmpty() ? ""
                : ", headers " + String.join(", ", c.headers().keySet())
                        + (c.secretHeaders().isEmpty() ? "" : (c.headers().isEmpty() ? "" : ", ")
                                + String.join(", ", c.secretHeaders()) + " (in the secret store)");
        return OtlpDestination.tracesUrl(c.endpoint()) + " (" + (c.protocol() == null ? OtlpConfig.PROTOBUF : c.protocol())
                + headers + (c.content() ? ", with prompt and tool text" : ", no prompt or tool text") + ")";
    }
}
