package ai.infinium.connector.trace;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one way a trace becomes bytes: snake_case, nulls and empty values left out (as the SDK sends). */
public final class TraceJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY,
                    JsonInclude.Include.NON_EMPTY))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private TraceJson() {}

    public static byte[] bytes(Trace trace) {
        try {
            return MAPPER.writeValueAsBytes(trace);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("trace could not be serialised", e);
        }
    }

    public static com.fasterxml.jackson.databind.JsonNode tree(Trace trace) {
        return MAPPER.valueToTree(trace);
    }

    public static String pretty(Trace trace) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(trace);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("trace could not be serialised", e);
        }
    }
}
