package ai.infinium.connector.cli.doctor;

import ai.infinium.connector.export.DeliveryResult;
import ai.infinium.connector.export.otlp.OtlpHttpSender;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Whether the OTLP endpoint takes an export with these headers. It is sent an empty
 * ExportTraceServiceRequest ({@code {}} in JSON, zero bytes in protobuf), which a receiver accepts
 * and records nothing for.
 */
public final class OtlpReachability {
    static final String NAME = "otlp";

    private OtlpReachability() {}

    public static Check of(OtlpHttpSender sender, String endpoint, String protocol, Map<String, String> headers) {
        boolean json = "http/json".equals(protocol);
        byte[] empty = json ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            return Check.error(NAME, "the endpoint " + endpoint + " is not a URL", "run `infinium init --otlp-endpoint URL` again");
        }
        DeliveryResult r = sender.send(uri, empty, json ? "application/json" : "application/x-protobuf", headers, null);
        if (r.delivered()) {
            return Check.ok(NAME, endpoint + " (" + protocol + ") takes an empty export (HTTP " + r.httpStatus() + ")");
        }
        if (r.httpStatus() == 401 || r.httpStatus() == 403) {
            return Check.error(NAME, endpoint + " refuses the export: " + r.message(),
                    "run `infinium init --otlp-header NAME=VALUE` again with the receiver's current key");
        }
        if (r.httpStatus() == 0 && r.outcome() == DeliveryResult.Outcome.TRANSIENT) {
            return Check.error(NAME, endpoint + " cannot be reached: " + r.message(),
                    "check that the collector runs and the network between; spans wait in the outbox meanwhile");
        }
        if (r.outcome() == DeliveryResult.Outcome.REJECTED) {
            return Check.error(NAME, endpoint + " refuses the export: " + r.message(),
                    "check the endpoint (OTLP/HTTP traces go to …/v1/traces) and protocol: `infinium init --otlp-endpoint URL`");
        }
        return Check.warning(NAME, endpoint + " could not take the export now: " + r.message(),
                "try `infinium doctor` again later; spans wait in the outbox meanwhile");
    }
}
