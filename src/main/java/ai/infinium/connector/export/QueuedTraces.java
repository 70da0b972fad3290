package ai.infinium.connector.export;

import ai.infinium.connector.trace.Trace;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

/** The neutral trace as the outbox keeps it: every field, so any exporter can encode it later. */
public final class QueuedTraces {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private QueuedTraces() {}

    public static JsonNode tree(Trace trace) {
        return JSON.valueToTree(trace);
    }

    /** The trace again; an entry damaged so far that it is no trace throws, and is set aside by its caller. */
    public static Trace read(JsonNode tree) throws com.fasterxml.jackson.core.JsonProcessingException {
        return JSON.treeToValue(tree, Trace.class);
    }
}
