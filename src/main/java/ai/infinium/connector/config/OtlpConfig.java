package ai.infinium.connector.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A project's {@code otlp} settings in {@code .infinium/config.json}: where its traces also go as
 * OpenTelemetry spans. Header values that are credentials are not here: {@code secret_headers}
 * names them and the secret store holds the values ({@link #secretAccount}).
 *
 * @param endpoint the OTLP/HTTP base URL (as {@code OTEL_EXPORTER_OTLP_ENDPOINT}) or the full traces URL
 * @param protocol {@code http/protobuf} or {@code http/json}; null for the default (protobuf)
 * @param headers plain headers sent with every export
 * @param secretHeaders names of headers whose values the secret store keeps
 * @param content whether prompts, tool arguments and results and answers go into the spans (redacted)
 * @param problem what is wrong with the setting, in words; null when nothing
 */
public record OtlpConfig(String endpoint, String protocol, Map<String, String> headers, List<String> secretHeaders,
        boolean content, String problem) {
    public static final String KEY = "otlp";
    public static final String PROTOBUF = ai.infinium.connector.export.otlp.OtlpExporter.PROTOBUF;
    public static final String JSON = ai.infinium.connector.export.otlp.OtlpExporter.JSON;
    public static final List<String> PROTOCOLS = List.of(PROTOBUF, JSON);
    private static final List<String> FIELDS = List.of("endpoint", "protocol", "headers", "secret_headers", "content");

    public OtlpConfig {
        headers = Map.copyOf(headers);
        secretHeaders = List.copyOf(secretHeaders);
    }

    /** The secret store's account of a secret header of a project: one per project and header. */
    public static String secretAccount(Path projectDir, String header) {
        return "otlp-header:" + header.toLowerCase(Locale.ROOT) + "@" + projectDir;
    }

    /** The {@code otlp} object of a config file; null when the file has none. Lenient: problems are data. */
    static OtlpConfig parse(JsonNode o, Path file) {
        if (o == null || o.isNull()) {
            return null;
        }
        String where = file + ": " + KEY;
        if (!o.isObject()) {
            return new OtlpConfig(null, null, Map.of(), List.of(), false,
                    where + " must be an object such as {\"endpoint\": \"http://localhost:4318\"}");
        }
        List<String> problems = new ArrayList<>();
        String endpoint = text(o, "endpoint");
        if (endpoint == null) {
            problems.add(where + ".endpoint is missing (the collector's URL, e.g. http://localhost:4318)");
        } else {
            String bad = endpointProblem(endpoint);
            if (bad != null) {
                problems.add(where + ".endpoint " + bad);
            }
        }
        String protocol = text(o, "protocol");
        if (protocol != null && !PROTOCOLS.contains(protocol)) {
            problems.add(where + ".protocol must be " + String.join(" or ", PROTOCOLS) + ", not \"" + protocol + "\"");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = o.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                problems.add(where + ".headers must be an object of header names to values");
            } else {
                h.fields().forEachRemaining(f -> {
                    if (f.getValue().isTextual()) {
                        headers.put(f.getKey(), f.getValue().asText());
                    } else {
                        problems.add(where + ".headers." + f.getKey() + " must be a string");
                    }
                });
            }
        }
        List<String> secret = new ArrayList<>();
        JsonNode s = o.get("secret_headers");
        if (s != null && !s.isNull()) {
            if (!s.isArray()) {
                problems.add(where + ".secret_headers must be a list of header names");
            } else {
                s.forEach(v -> {
                    if (v.isTextual() && !v.asText().isBlank()) {
                        secret.add(v.asText());
                    } else {
                        problems.add(where + ".secret_headers holds " + v + ", not a header name");
                    }
                });
            }
        }
        JsonNode c = o.get("content");
        boolean content = false;
        if (c != null && !c.isNull()) {
            if (c.isBoolean()) {
                content = c.booleanValue();
            } else {
                problems.add(where + ".content must be true or false, not " + c);
            }
        }
        o.fieldNames().forEachRemaining(k -> {
            if (!FIELDS.contains(k)) {
                problems.add(where + " has no setting \"" + k + "\" (known: " + String.join(", ", FIELDS) + ")");
            }
        });
        return new OtlpConfig(endpoint, protocol, headers, secret, content,
                problems.isEmpty() ? null : String.join("; ", problems));
    }

    /** Why a URL cannot be an OTLP/HTTP endpoint, in words; null when it can. */
    public static String endpointProblem(String url) {
        try {
            java.net.URI u = new java.net.URI(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                return "must be an http:// or https:// URL, not " + url;
            }
            if (u.getHost() == null) {
                return "has no host: " + url;
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "is not a URL (" + e.getReason() + "): " + url;
        }
    }

    void writeTo(ObjectNode n) {
        ObjectNode o = n.putObject(KEY);
        o.put("endpoint", endpoint);
        o.put("protocol", protocol == null ? PROTOBUF : protocol);
        if (!headers.isEmpty()) {
            ObjectNode h = o.putObject("headers");
            headers.forEach(h::put);
        }
        if (!secretHeaders.isEmpty()) {
            secretHeaders.forEach(o.putArray("secret_headers")::add);
        }
        o.put("content", content);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }
}
