package ai.infinium.connector.export.infinium;

import ai.infinium.connector.export.BoundedExchange;
import ai.infinium.connector.export.DeliveryResult;
import ai.infinium.connector.export.RetriedExchange;
import ai.infinium.connector.export.RetryPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

/**
 * The Infinium API's client, for traces and credential checks: {@code POST {base}/agents/{id}/trace} with the agent headers and an
 * {@code Idempotency-Key}; retries network errors, timeouts and 5xx, honours {@code Retry-After}
 * on 429, and gives up at once on answers a retry cannot change (401, 403, 404, 413, 422).
 */
public final class InfiniumApi {
    /** Receives a line for a person waiting: what failed, and that it tries again. */
    public interface Progress {
        void retrying(String what);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client;
    private final RetryPolicy policy;
    private final RetriedExchange exchange;
    private final String userAgent;

    public InfiniumApi(String version) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), RetryPolicy.defaults(),
                d -> Thread.sleep(d.toMillis()), new Random(), version);
    }

    public InfiniumApi(HttpClient client, RetryPolicy policy, RetriedExchange.Sleeper sleeper, Random random,
            String version) {
        this.client = client;
        this.policy = policy;
        this.exchange = new RetriedExchange(client, sleeper, random);
        this.userAgent = "infinium-java-connector/" + version;
    }

    public static URI traceUri(String baseUrl, String agentId) {
        return URI.create(baseUrl + "/agents/" + URLEncoder.encode(agentId, StandardCharsets.UTF_8).replace("+", "%20")
                + "/trace");
    }

    /** Sends one trace, retrying transient failures as the policy says; never throws for I/O. */
    public DeliveryResult send(TracePost d) {
        return send(d, policy, what -> { });
    }

    /**
     * The same, for a person waiting at a terminal ({@code infinium test}): fewer, shorter
     * attempts, each failure reported as it happens.
     */
    public DeliveryResult sendWhileWatched(TracePost d, Progress progress) {
        return send(d, policy.watched(), progress);
    }

    private DeliveryResult send(TracePost d, RetryPolicy policy, Progress progress) {
        URI uri;
        try {
            uri = traceUri(d.baseUrl(), d.agentId());
        } catch (IllegalArgumentException e) {
            return DeliveryResult.rejected(0, "invalid base URL " + d.baseUrl() + ": " + e.getMessage());
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(policy.requestTimeout())
                .header("Content-Type", "application/json")
                .header("x-agent-id", d.agentId())
                .header("x-agent-key", d.secret())
                .header("User-Agent", userAgent)
                .header("Idempotency-Key", d.key())
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()))
                .build();
        return exchange.send(request, HttpResponse.BodyHandlers.ofString(), policy, r -> {
            int status = r.statusCode();
            if (status >= 200 && status < 300) {
                return RetriedExchange.Answer.done(DeliveryResult.delivered(status, traceId(r.body())));
            }
            String message = "HTTP " + status + ": " + serverMessage(r.body());
            if (status == 429) {
                return RetriedExchange.Answer.retry(DeliveryResult.transientFailure(status, message), retryAfter(r, policy));
            }
            if (status >= 500) {
                return RetriedExchange.Answer.retry(DeliveryResult.transientFailure(status, message), null);
            }
            return RetriedExchange.Answer.done(DeliveryResult.rejected(status, message + hint(status)));
        }, progress::retrying);
    }

    /**
     * Asks, without sending a trace, whether the API accepts these credentials ({@code GET
     * /agents/{id}/health}, one short attempt): delivered means yes (2xx), rejected means no
     * (401/403/404), transient means it could not tell.
     */
    public DeliveryResult checkCredentials(String baseUrl, String agentId, String secret) {
        return health(baseUrl, agentId, secret).result();
    }

    /**
     * The health check's verdict and the API's clock.
     *
     * @param date the answer's {@code Date} header as sent, or null when it sent none or did not answer
     */
    public record Health(DeliveryResult result, String date) {}

    /** {@link #checkCredentials} with the answer's {@code Date}: traces carry the local clock, so doctor compares. */
    public Health health(String baseUrl, String agentId, String secret) {
        URI uri;
        try {
            uri = URI.create(baseUrl + "/agents/" + URLEncoder.encode(agentId, StandardCharsets.UTF_8).replace("+", "%20")
                    + "/health");
        } catch (IllegalArgumentException e) {
            return new Health(DeliveryResult.rejected(0, "invalid base URL " + baseUrl + ": " + e.getMessage()), null);
        }
        Duration timeout = policy.watched().requestTimeout();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("x-agent-id", agentId).header("x-agent-key", secret).header("User-Agent", userAgent).build();
        try {
            HttpResponse<String> r = BoundedExchange.send(client, request, HttpResponse.BodyHandlers.ofString(), timeout);
            String date = r.headers().firstValue("Date").orElse(null);
            int status = r.statusCode();
            if (status >= 200 && status < 300) {
                return new Health(DeliveryResult.delivered(status, null), date);
            }
            String message = "HTTP " + status + ": " + serverMessage(r.body());
            return new Health(status == 401 || status == 403 || status == 404
                    ? DeliveryResult.rejected(status, message + hint(status))
                    : DeliveryResult.transientFailure(status, message), date);
        } catch (IOException e) {
            return new Health(RetriedExchange.failure(e, uri, timeout), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Health(DeliveryResult.transientFailure(0, "interrupted"), null);
        }
    }

    private static Duration retryAfter(HttpResponse<?> r, RetryPolicy policy) {
        return r.headers().firstValue("Retry-After").map(v -> {
            try {
                long s = Long.parseLong(v.trim());
                return Duration.ofSeconds(Math.max(0, s));
            } catch (NumberFormatException e) {
                return policy.defaultRetryAfter();
            }
        }).map(d -> d.compareTo(policy.maxRetryAfter()) > 0 ? policy.maxRetryAfter() : d)
                .orElse(policy.defaultRetryAfter());
    }

    private static String hint(int status) {
        switch (status) {
            case 401:
            case 403:
                return " (check the agent id and secret: `infinium status`, then `infinium init` to set them again)";
            case 404:
                return " (no such agent at this base URL: check the agent id and base URL)";
            case 413:
                return " (the trace is larger than the API accepts)";
            case 422:
                return " (the API refused a field of the trace)";
            default:
                return "";
        }
    }

    static String traceId(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null) {
                return null;
            }
            if (n.hasNonNull("traceId")) {
                return n.get("traceId").asText();
            }
            JsonNode data = n.path("data");
            return data.hasNonNull("traceId") ? data.get("traceId").asText() : null;
        } catch (IOException e) {
            return null; // A 2xx without JSON is still a success, as the SDK treats it.
        }
    }

    static String serverMessage(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("message")) {
                String m = n.get("message").asText();
                return n.hasNonNull("field") ? m + " (field " + n.get("field").asText() + ")" : m;
            }
            if (n != null && n.hasNonNull("error")) {
                return n.get("error").asText();
            }
        } catch (IOException ignored) {
            // fall through to the raw body
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
