package ai.infinium.connector.export.infinium;

import ai.infinium.connector.trace.Step;
import ai.infinium.connector.trace.Trace;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The Infinium wire form of a neutral trace ({@code POST /agents/{id}/trace}): snake_case, nulls
 * and empty values left out (as the SDK sends), and without the fields only other exporters read.
 */
public final class InfiniumTraceJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_EMPTY,
                    JsonInclude.Include.NON_EMPTY))
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addMixIn(Trace.class, TraceFields.class)
            .addMixIn(Step.class, StepFields.class);

    /** What the API's trace schema has no field for. */
    private abstract static class TraceFields {
        @JsonIgnore abstract String key();
        @JsonIgnore abstract String agent();
        @JsonIgnore abstract String agentName();
        @JsonIgnore abstract java.util.List<?> modelCalls();
    }

    private abstract static class StepFields {
        @JsonIgnore abstract String name();
        @JsonIgnore abstract String callId();
    }

    private InfiniumTraceJson() {}

    public static byte[] bytes(Trace trace) {
        try {
            return MAPPER.writeValueAsBytes(trace);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("trace could not be serialised", e);
        }
    }

    public static String pretty(Trace trace) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(trace);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("trace could not be serialised", e);
        }
    }
}
