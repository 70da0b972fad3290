package ai.infinium.connector.export;

import ai.infinium.connector.diag.ErrorWords;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Random;
import java.util.function.Consumer;

/**
 * One request sent, and sent again while its answer says a retry may help, as a {@link
 * RetryPolicy} allows: the loop every sender shares, so timeouts, network errors, pauses and
 * interruption behave and read the same whatever the destination. What an answer means (which
 * statuses are final, what a body says) stays with each sender's {@link Judge}.
 */
public final class RetriedExchange {
    /** Waits between attempts; a seam so tests need not sleep through real backoff. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * What one answer means: final (delivered or rejected), or worth another attempt.
     *
     * @param pause the pause before the next attempt, or null for the policy's backoff
     */
    public record Answer(DeliveryResult result, boolean retry, Duration pause) {
        public static Answer done(DeliveryResult result) {
            return new Answer(result, false, null);
        }

        public static Answer retry(DeliveryResult result, Duration pause) {
            return new Answer(result, true, pause);
        }
    }

    /** Reads one HTTP answer. */
    public interface Judge<T> {
        Answer judge(HttpResponse<T> response);
    }

    private final HttpClient client;
    private final Sleeper sleeper;
    private final Random random;

    public RetriedExchange(HttpClient client, Sleeper sleeper, Random random) {
        this.client = client;
        this.sleeper = sleeper;
        this.random = random;
    }

    /**
     * Sends {@code request} until {@code judge} calls an answer final or the retries run out;
     * never throws for I/O.
     *
     * @param retrying told of each failure that is tried again, in words for a person waiting
     * @return the final answer's result, else the last failure's
     */
    public <T> DeliveryResult send(HttpRequest request, HttpResponse.BodyHandler<T> body, RetryPolicy policy,
            Judge<T> judge, Consumer<String> retrying) {
        DeliveryResult last = null;
        for (int attempt = 0; attempt <= policy.maxRetries(); attempt++) {
            Duration wait;
            try {
                Answer a = judge.judge(BoundedExchange.send(client, request, body, policy.requestTimeout()));
                if (!a.retry()) {
                    return a.result();
                }
                last = a.result();
                wait = a.pause() != null ? a.pause() : policy.backoff(attempt, random.nextDouble());
            } catch (IOException e) {
                last = failure(e, request.uri(), policy.requestTimeout());
                wait = policy.backoff(attempt, random.nextDouble());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return DeliveryResult.transientFailure(0, "interrupted");
            }
            if (attempt < policy.maxRetries()) {
                retrying.accept("attempt " + (attempt + 1) + " of " + (policy.maxRetries() + 1) + ": " + last.message()
                        + "; trying again in " + Math.max(1, Math.round(wait.toMillis() / 1000.0)) + " s");
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return last;
                }
            }
        }
        return last;
    }

    /** A request that got no answer, in the words every sender uses: transient, a retry may help. */
    public static DeliveryResult failure(IOException e, URI uri, Duration timeout) {
        String where = BoundedExchange.hostPort(uri);
        return DeliveryResult.transientFailure(0, e instanceof HttpTimeoutException
                ? "no answer from " + where + " within " + timeout.toSeconds() + " s"
                : ErrorWords.network(e, uri.getScheme(), where));
    }
}
