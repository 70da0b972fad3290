package ai.infinium.connector.config;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where a project's spans go, from its {@link OtlpConfig} and the standard {@code OTEL_EXPORTER_OTLP_*}
 * variables, which win when the connector's environment has them (the signal-specific
 * {@code _TRACES_} form over the general one). They only adjust a project that exports OTLP: a
 * developer's own {@code OTEL_EXPORTER_OTLP_ENDPOINT} never starts sending their agent sessions
 * anywhere. Claude Code strips {@code OTEL_*} from its hooks' environment, so the project file
 * must suffice on its own.
 */
public final class OtlpDestination {
    public static final String ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public static final String TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public static final String HEADERS = "OTEL_EXPORTER_OTLP_HEADERS";
    public static final String TRACES_HEADERS = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
    public static final String PROTOCOL = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public static final String TRACES_PROTOCOL = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
    public static final String TIMEOUT = "OTEL_EXPORTER_OTLP_TIMEOUT";
    public static final String TRACES_TIMEOUT = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final String TRACES_PATH = "/v1/traces";

    /** The traces URL and protocol an entry is queued for, and from where each came. */
    public record Target(String endpoint, String protocol, boolean content, String endpointSource) {}

    private final Map<String, String> env;

    public OtlpDestination(Map<String, String> env) {
        this.env = env;
    }

    /**
     * @throws ConfigException when the project's {@code otlp} setting cannot be read, or the
     *     environment names a protocol or URL this exporter cannot use
     */
    public Target target(OtlpConfig project) throws ConfigException {
        if (project.problem() != null) {
            throw new ConfigException(project.problem());
        }
        String endpoint;
        String source;
        if (value(TRACES_ENDPOINT) != null) {
            endpoint = value(TRACES_ENDPOINT);
            source = TRACES_ENDPOINT;
        } else if (value(ENDPOINT) != null) {
            endpoint = tracesUrl(value(ENDPOINT));
            source = ENDPOINT;
        } else {
            endpoint = tracesUrl(project.endpoint());
            source = "project file";
        }
        String bad = OtlpConfig.endpointProblem(endpoint);
        if (bad != null) {
            throw new ConfigException("the OTLP endpoint from " + source + " " + bad);
        }
        String protocol = value(TRACES_PROTOCOL) != null ? value(TRACES_PROTOCOL)
                : value(PROTOCOL) != null ? value(PROTOCOL)
                : project.protocol() != null ? project.protocol() : OtlpConfig.PROTOBUF;
        if (!OtlpConfig.PROTOCOLS.contains(protocol)) {
            throw new ConfigException("OTLP protocol \"" + protocol + "\" is not supported: infinium exports over "
                    + String.join(" or ", OtlpConfig.PROTOCOLS) + " (set " + PROTOCOL + " to one of them or unset it)");
        }
        return new Target(endpoint, protocol, project.content(), source);
    }

    /**
     * The headers to send, looked up at send time: the project's plain ones, its secret ones from
     * the store, then the environment's over them.
     *
     * @throws IOException when a secret header's value is missing or the store cannot be read
     */
    public Map<String, String> headers(ProjectConfig project, SecretStore store) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        OtlpConfig otlp = project == null ? null : project.otlp();
        if (otlp != null) {
            out.putAll(otlp.headers());
            for (String name : otlp.secretHeaders()) {
                String v = store.get(OtlpConfig.secretAccount(project.projectDir(), name)).orElse(null);
                if (v == null) {
                    throw new IOException("the value of OTLP header " + name + " is not in the secret store ("
                            + store.describe() + "); run `infinium init --otlp-header " + name + "=…` in "
                            + project.projectDir());
                }
                out.put(name, v);
            }
        }
        out.putAll(parseHeaders(value(HEADERS)));
        out.putAll(parseHeaders(value(TRACES_HEADERS)));
        return out;
    }

    /** How long one export may take: {@code _TIMEOUT} in milliseconds, 10 s by default. */
    public Duration timeout() {
        String v = value(TRACES_TIMEOUT) != null ? value(TRACES_TIMEOUT) : value(TIMEOUT);
        if (v != null) {
            try {
                long ms = Long.parseLong(v);
                if (ms > 0) {
                    return Duration.ofMillis(ms);
                }
            } catch (NumberFormatException ignored) {
                // not a number of milliseconds: the default, as the SDKs do
            }
        }
        return DEFAULT_TIMEOUT;
    }

    /** The base URL as the OTLP spec builds it ({@code …/v1/traces}); a URL already naming it is kept. */
    public static String tracesUrl(String base) {
        String b = base.trim();
        if (b.endsWith(TRACES_PATH) || b.endsWith(TRACES_PATH + "/")) {
            return b;
        }
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return b + TRACES_PATH;
    }

    /** {@code k1=v1,k2=v2} with percent-encoded values, as the OTLP exporter spec writes them. */
    public static Map<String, String> parseHeaders(String list) {
        Map<String, String> out = new LinkedHashMap<>();
        if (list == null) {
            return out;
        }
        for (String pair : list.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue; // malformed pairs are skipped, as the SDKs skip them
            }
            String k = pair.substring(0, eq).trim();
            String v = URLDecoder.decode(pair.substring(eq + 1).trim().replace("+", "%2B"), StandardCharsets.UTF_8);
            if (!k.isEmpty()) {
                out.put(k, v);
            }
        }
        return out;
    }

    /** Whether a header's value is a credential, kept in the secret store rather than the project file. */
    public static boolean looksSecret(String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String word : new String[] {"auth", "key", "token", "secret", "password", "credential", "cookie",
                "session", "signature", "team"}) {
            if (n.contains(word)) {
                return true;
            }
        }
        return ai.infinium.connector.redact.Redactor.defaults().pass().clean(name + ": " + value)
                .contains("[REDACTED:");
    }

    private String value(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
