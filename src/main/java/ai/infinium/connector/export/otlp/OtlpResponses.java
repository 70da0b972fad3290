package ai.infinium.connector.export.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What an OTLP/HTTP receiver's answer says, in either encoding: the partial success of a 2xx
 * ({@code ExportTraceServiceResponse}) and the message of a failure ({@code google.rpc.Status}).
 */
final class OtlpResponses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 300;

    private OtlpResponses() {}

    /** Spans the receiver dropped, and why; null when it took them all (or did not say). */
    static String partialSuccess(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return null;
        }
        long rejected = 0;
        String message = null;
        if (isProtobuf(contentType)) {
            try {
                byte[] partial = ProtoReader.field(body, 1);
                if (partial == null) {
                    return null;
                }
                rejected = ProtoReader.varintField(partial, 1);
                byte[] m = ProtoReader.field(partial, 2);
                message = m == null ? null : new String(m, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null; // a 2xx is a success whatever its body, as the spec has it
            }
        } else {
            JsonNode n = json(body);
            JsonNode p = n == null ? null : n.path("partialSuccess");
            if (p == null || p.isMissingNode()) {
                return null;
            }
            rejected = p.path("rejectedSpans").asLong(0);
            message = p.hasNonNull("errorMessage") ? p.get("errorMessage").asText() : null;
        }
        if (rejected == 0 && (message == null || message.isEmpty())) {
            return null;
        }
        return "the receiver rejected " + rejected + " span" + (rejected == 1 ? "" : "s")
                + (message == null || message.isEmpty() ? "" : ": " + cut(message));
    }

    /** A failure's message: the Status's, a JSON {@code message}/{@code error}, or the start of the text. */
    static String serverMessage(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        if (isProtobuf(contentType)) {
            try {
                byte[] m = ProtoReader.field(body, 2);
                if (m != null) {
                    return cut(new String(m, StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException e) {
                // not a Status after all: show the text
            }
        }
        JsonNode n = json(body);
        if (n != null && n.hasNonNull("message")) {
            return cut(n.get("message").asText());
        }
        if (n != null && n.hasNonNull("error")) {
            JsonNode e = n.get("error");
            return cut(e.isTextual() ? e.asText() : e.path("message").asText(e.toString()));
        }
        return cut(new String(body, StandardCharsets.UTF_8).strip());
    }

    private static boolean isProtobuf(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("protobuf");
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String cut(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > MAX_MESSAGE ? one.substring(0, MAX_MESSAGE) + "…" : one;
    }
}
