package ai.infinium.connector.testing;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request seen by {@link FakeInfiniumApi}, whatever the outcome (accepted, replayed,
 * rejected, or hit by an injected fault).
 *
 * @param method    request method, e.g. {@code POST}
 * @param path      request target as sent (path plus any query string)
 * @param headers   request headers, names in lower case, repeated headers joined by {@code ", "}
 * @param status    HTTP status answered, or {@link #NO_RESPONSE} if the connection was dropped
 * @param bodySize  size of the request body in bytes (as declared or counted)
 * @param fault     the injected fault applied to this request, {@link Fault#NONE} if none
 * @param receivedAt when the request was handled
 */
public record RecordedRequest(
        String method,
        String path,
        Map<String, String> headers,
        int status,
        long bodySize,
        Fault fault,
        Instant receivedAt) {

    /** {@link #status()} of a request whose connection was closed without any HTTP response. */
    public static final int NO_RESPONSE = 0;

    /** Which injected fault, if any, decided the answer to a request. */
    public enum Fault {
        /** Handled normally. */
        NONE,
        /** {@link FakeInfiniumApi#failNext(int)}. */
        FAIL,
        /** {@link FakeInfiniumApi#rateLimitNext(int)}. */
        RATE_LIMIT,
        /** {@link FakeInfiniumApi#delayNext(java.time.Duration)}: handled normally, answered late. */
        DELAY,
        /** {@link FakeInfiniumApi#dropNext()}. */
        DROP,
        /** {@link FakeInfiniumApi#setDown(boolean)}. */
        DOWN
    }

    /** True if the connection was closed without an HTTP response. */
    public boolean dropped() {
        return status == NO_RESPONSE;
    }

    /** Header value by case-insensitive name, or {@code null}. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        String outcome = dropped() ? "dropped" : Integer.toString(status);
        return method + " " + path + " -> " + outcome + (fault == Fault.NONE ? "" : " (" + fault + ")");
    }
}
