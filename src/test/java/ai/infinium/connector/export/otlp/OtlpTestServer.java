package ai.infinium.connector.export.otlp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** An OTLP/HTTP receiver on loopback that answers from a script and records what it got. */
final class OtlpTestServer implements AutoCloseable {
    /** @param stall send the headers and one byte of the body, then nothing until the server closes */
    record Reply(int status, Map<String, String> headers, byte[] body, boolean stall) {
        static Reply of(int status) {
            return new Reply(status, Map.of(), new byte[0], false);
        }

        static Reply of(int status, String contentType, byte[] body) {
            return new Reply(status, Map.of("Content-Type", contentType), body, false);
        }
    }

    record Received(String protocol, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null ? null : String.join(",", v);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch closing = new CountDownLatch(1);

    OtlpTestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Answers in this order; 200 with no body once the script runs out. */
    OtlpTestServer reply(Reply... rs) {
        replies.addAll(List.of(rs));
        return this;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(ex.getRequestHeaders());
        byte[] body = ex.getRequestBody().readAllBytes();
        received.add(new Received(ex.getProtocol(), ex.getRequestURI().getPath(), headers, body));
        Reply r = replies.poll();
        if (r == null) {
            r = Reply.of(200);
        }
        r.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        try (OutputStream out = ex.getResponseBody()) {
            if (r.stall()) {
                ex.sendResponseHeaders(r.status(), 100);
                out.write('{');
                out.flush();
                awaitClose();
                return;
            }
            ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
            out.write(r.body());
        }
    }

    private void awaitClose() {
        try {
            closing.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
