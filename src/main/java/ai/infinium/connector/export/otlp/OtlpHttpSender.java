package ai.infinium.connector.export.otlp;

import ai.infinium.connector.export.DeliveryResult;
import ai.infinium.connector.export.RetriedExchange;
import ai.infinium.connector.export.RetryPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * POSTs an encoded export request to an OTLP/HTTP traces URL, retrying as the OTLP spec says:
 * 429, 502, 503, 504, network errors and timeouts are retried with backoff and jitter (a
 * {@code Retry-After} wins, up to the policy's cap); any other status is final. HTTP/1.1 only:
 * the JDK otherwise asks plain-http servers to upgrade to h2c, which some receivers refuse.
 */
public final class OtlpHttpSender {
    private final RetryPolicy policy;
    private final RetriedExchange exchange;
    private final Clock clock;
    private final String userAgent;

    /** The real one: HTTP/1.1, a 10 s connect timeout, the default policy with {@code timeout} per request. */
    public static OtlpHttpSender create(Duration timeout, String version) {
        return create(timeout, version, false);
    }

    /** @param watched for a person waiting: {@link RetryPolicy#watched()}, one retry and short pauses */
    public static OtlpHttpSender create(Duration timeout, String version, boolean watched) {
        RetryPolicy policy = withTimeout(RetryPolicy.defaults(), timeout);
        return new OtlpHttpSender(client(), watched ? policy.watched() : policy, d -> Thread.sleep(d.toMillis()),
                new Random(), Clock.systemUTC(), version);
    }

    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public static RetryPolicy withTimeout(RetryPolicy p, Duration timeout) {
        return new RetryPolicy(p.maxRetries(), p.initialBackoff(), p.maxBackoff(), p.jitter(), timeout,
                p.defaultRetryAfter(), p.maxRetryAfter());
    }

    public OtlpHttpSender(HttpClient client, RetryPolicy policy, RetriedExchange.Sleeper sleeper, Random random,
            Clock clock, String version) {
        this.policy = policy;
        this.exchange = new RetriedExchange(client, sleeper, random);
        this.clock = clock;
        this.userAgent = "infinium-java-connector/" + version;
    }

    /**
     * Sends one request; never throws for I/O.
     *
     * @param traceId reported with a delivery, so a person can find the trace at the receiver
     */
    public DeliveryResult send(URI uri, byte[] body, String contentType, Map<String, String> headers, String traceId) {
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                    .version(HttpClient.Version.HTTP_1_1)
                    .timeout(policy.requestTimeout())
                    .header("Content-Type", contentType)
                    .header("User-Agent", userAgent)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, String> h : headers.entrySet()) {
                String name = h.getKey().toLowerCase(Locale.ROOT);
                if (!name.equals("content-type") && !name.equals("user-agent")) {
                    b.header(h.getKey(), h.getValue());
                }
            }
            request = b.build();
        } catch (IllegalArgumentException e) {
            // A restricted or malformed header, or a URI the client cannot use: no retry changes that.
            return DeliveryResult.rejected(0, "cannot send to " + uri + ": " + e.getMessage());
        }
        return exchange.send(request, HttpResponse.BodyHandlers.ofByteArray(), policy, r -> {
            int status = r.statusCode();
            String type = r.headers().firstValue("Content-Type").orElse(contentType);
            if (status >= 200 && status < 300) {
                String partial = OtlpResponses.partialSuccess(r.body(), type);
                return RetriedExchange.Answer.done(new DeliveryResult(DeliveryResult.Outcome.DELIVERED, status,
                        partial == null ? "delivered" : "delivered, but " + partial, traceId));
            }
            String message = "HTTP " + status + ": " + OtlpResponses.serverMessage(r.body(), type);
            if (!retryable(status)) {
                return RetriedExchange.Answer.done(DeliveryResult.rejected(status, message + hint(status)));
            }
            return RetriedExchange.Answer.retry(DeliveryResult.transientFailure(status, message), retryAfter(r).orElse(null));
        }, what -> { });
    }

    /** The OTLP spec's retryable answers; every other status means this request will never do. */
    static boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** {@code Retry-After} in seconds or as an HTTP date, capped by the policy; empty when absent or unreadable. */
    java.util.Optional<Duration> retryAfter(HttpResponse<?> r) {
        return r.headers().firstValue("Retry-After").map(String::trim).map(v -> {
            try {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
            } catch (NumberFormatException e) {
                try {
                    Duration d = Duration.between(clock.instant(),
                            ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                    return d.isNegative() ? Duration.ZERO : d;
                } catch (DateTimeParseException e2) {
                    return null;
                }
            }
        }).map(d -> d.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : d);
    }

    private static String hint(int status) {
        switch (status) {
            case 401:
            case 403:
                return " (check the headers configured for this endpoint, e.g. its API key)";
            case 404:
                return " (check the endpoint: the full traces URL, usually ending in /v1/traces)";
            case 413:
                return " (the trace is larger than the receiver accepts)";
            case 415:
                return " (the receiver does not take this protocol: try the other of http/protobuf and http/json)";
            default:
                return "";
        }
    }


}
