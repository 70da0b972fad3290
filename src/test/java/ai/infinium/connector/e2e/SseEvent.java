package ai.infinium.connector.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One server-sent event of a streamed model response. Both fakes' APIs frame it alike: an {@code
 * event:} line, one {@code data:} line of JSON, a blank line.
 */
record SseEvent(String name, ObjectNode data) {

    String wire(ObjectMapper json) {
        try {
            // A null name: a data-only event, as Gemini's streamGenerateContent?alt=sse sends them.
            return (name == null ? "" : "event: " + name + "\n") + "data: " + json.writeValueAsString(data) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Splits streamed text or JSON in two, so that the client's accumulation of deltas is exercised,
     * not just its single-chunk path. Never cuts a surrogate pair; strings under two chars stay whole.
     */
    static List<String> halves(String s) {
        if (s.length() < 2) {
            return List.of(s);
        }
        int mid = s.length() / 2;
        if (Character.isHighSurrogate(s.charAt(mid - 1))) {
            mid++;
        }
        return mid >= s.length() ? List.of(s) : List.of(s.substring(0, mid), s.substring(mid));
    }
}
