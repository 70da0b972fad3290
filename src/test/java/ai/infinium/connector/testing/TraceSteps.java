package ai.infinium.connector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A trace's steps as one readable line each, so tests can state them exactly and diffs stay legible. */
public final class TraceSteps {
    private TraceSteps() {}

    /** {@code action | description[ | in=…][ | out=…][ | ERROR type: message][ | status]} per step. */
    public static List<String> of(ReceivedTrace t) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : t.body().path("steps")) {
            StringBuilder sb = new StringBuilder(s.path("action").asText()).append(" | ")
                    .append(s.path("description").asText());
            if (s.has("input_preview")) {
                sb.append(" | in=").append(s.get("input_preview").asText());
            }
            if (s.has("output_preview")) {
                sb.append(" | out=").append(s.get("output_preview").asText());
            }
            if (s.has("error")) {
                sb.append(" | ERROR ").append(s.get("error").path("error_type").asText()).append(": ")
                        .append(s.get("error").path("message").asText());
            }
            if (s.has("status")) {
                sb.append(" | ").append(s.get("status").asText());
            }
            out.add(sb.toString());
        }
        return out;
    }

    /** The timestamp of the trace's first step with this action. */
    public static String stepTimestamp(ReceivedTrace t, String action) {
        for (JsonNode s : t.body().path("steps")) {
            if (s.path("action").asText().equals(action)) {
                return s.path("timestamp").asText();
            }
        }
        throw new AssertionError(t.name() + " has no " + action + " step");
    }
}
