package ai.infinium.connector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * A trace accepted (and stored) by {@link FakeInfiniumApi}. Replays of an already-seen
 * {@code Idempotency-Key} are not stored again.
 *
 * @param traceId        the id the fake returned ({@code tr_<n>})
 * @param body           the parsed JSON body (a JSON object)
 * @param headers        request headers, names in lower case, repeated headers joined by {@code ", "}
 * @param idempotencyKey value of the {@code Idempotency-Key} header, or {@code null} if absent
 * @param receivedAt     when the fake accepted the trace
 */
public record ReceivedTrace(
        String traceId,
        JsonNode body,
        Map<String, String> headers,
        String idempotencyKey,
        Instant receivedAt) {

    /** Header value by case-insensitive name, or {@code null}. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The {@code name} field of the body (convenience for messages and assertions). */
    public String name() {
        JsonNode n = body.get("name");
        return n == null ? null : n.asText();
    }

    @Override
    public String toString() {
        return traceId + "{name=" + quote(name()) + ", idempotencyKey=" + quote(idempotencyKey) + "}";
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return '"' + cut + '"';
    }
}
