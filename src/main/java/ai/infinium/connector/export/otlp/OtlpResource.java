package ai.infinium.connector.export.otlp;

import java.util.List;

/**
 * Who sends the spans, as the resource and scope of the request: the connector and its version,
 * the machine, and the agent traced.
 *
 * @param hostName null to leave {@code host.name} out
 */
public record OtlpResource(String version, String hostName, String agent) {
    static final String SCOPE = "ai.infinium.connector";

    List<OtlpAttribute> attributes() {
        return new OtlpAttribute.Builder()
                .put("service.name", "infinium")
                .put("service.version", version)
                .put("host.name", hostName)
                .put("telemetry.sdk.name", "infinium")
                .put("telemetry.sdk.language", "java")
                .put("telemetry.sdk.version", version)
                .put("infinium.agent", agent)
                .build();
    }
}
