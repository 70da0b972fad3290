package ai.infinium.connector.export;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request and its whole response within a deadline, for every sender. The JDK's request
 * timeout stops counting once the headers arrive (JDK-8208693, fixed in JDK 26), so a server that
 * sends headers and then stalls would hold a worker for good: this deadline covers the body too.
 * The abandoned exchange is cancelled; its entry is retried under the same key.
 */
public final class BoundedExchange {
    private BoundedExchange() {}

    public static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> body,
            Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> f = client.sendAsync(request, body);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new HttpTimeoutException("the response did not complete within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException(cause == null ? e : cause);
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        }
    }

    /** {@code host:port} as network errors name it, the scheme's port when the URL has none. */
    public static String hostPort(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return uri.getHost() + ":" + port;
    }
}
