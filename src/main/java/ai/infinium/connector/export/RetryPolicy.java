package ai.infinium.connector.export;

import java.time.Duration;

/**
 * How hard the sender tries, as data. Defaults follow the Infinium SDK: 3 retries, backoff
 * 1 s·2ⁿ with ±25 % jitter capped at 60 s, 30 s per request, 60 s when a 429 names no wait.
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff, double jitter,
        Duration requestTimeout, Duration defaultRetryAfter, Duration maxRetryAfter) {

    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(60), 0.25, Duration.ofSeconds(30),
                Duration.ofSeconds(60), Duration.ofSeconds(300));
    }

    /**
     * For a person waiting: one retry at most, a request given at most 15 s, a pause of at most
     * 1 s; against an API that never answers that is two timeouts and a pause (31 s).
     */
    public RetryPolicy watched() {
        Duration timeout = requestTimeout.compareTo(Duration.ofSeconds(15)) > 0 ? Duration.ofSeconds(15) : requestTimeout;
        Duration pause = initialBackoff.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : initialBackoff;
        return new RetryPolicy(Math.min(1, maxRetries), pause, pause, jitter, timeout, pause, pause);
    }

    /** Backoff before retry number {@code attempt} (0-based), with jitter from {@code random} in [0,1). */
    public Duration backoff(int attempt, double random) {
        double base = Math.min(initialBackoff.toMillis() * Math.pow(2, attempt), maxBackoff.toMillis());
        double factor = 1 + jitter * (2 * random - 1);
        return Duration.ofMillis(Math.max(0, Math.round(base * factor)));
    }
}
