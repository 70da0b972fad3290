package ai.infinium.connector.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.export.infinium.TracePost;
import ai.infinium.connector.export.infinium.InfiniumApi;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantees earlier work established, checked again now that files and requests are handled
 * differently (issue 9): a redirect never carries the agent key anywhere, and parallel sessions
 * against an API failing one request in ten lose nothing and send nothing twice.
 */
class DeliveryGuaranteesTest {
    @TempDir Path tmp;

    @Test
    void aRedirectIsNotFollowedSoTheKeyGoesNowhereElse() throws Exception {
        List<String> elsewhere = new CopyOnWriteArrayList<>();
        try (ServerSocket thief = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                ServerSocket api = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            serve(thief, s -> elsewhere.add(new String(s.getInputStream().readNBytes(200), StandardCharsets.ISO_8859_1)),
                    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            serve(api, s -> { }, "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:" + thief.getLocalPort()
                    + "/steal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            InfiniumApi exporter = new InfiniumApi(HttpClient.newHttpClient(), TestEnv.fastRetry(), d -> { },
                    new Random(1), "9.9.9");
            DeliveryResult r = exporter.send(new TracePost("k", "{}".getBytes(StandardCharsets.UTF_8),
                    "http://127.0.0.1:" + api.getLocalPort() + "/api/v1", "agent-1", "the-agent-key-123"));
            assertThat(r.delivered()).isFalse();
            assertThat(r.httpStatus()).isEqualTo(307);
            assertThat(elsewhere).as("nothing, let alone the key, reached the redirect's target").isEmpty();
        }
    }

    interface Reader {
        void read(Socket s) throws Exception;
    }

    static void serve(ServerSocket server, Reader reader, String response) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    reader.read(s);
                    in.readNBytes(Math.max(0, in.available()));
                    OutputStream out = s.getOutputStream();
                    out.write(response.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (Exception closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Test
    void eightParallelSessionsWithOneFailureInTenLoseNothingAndSendNothingTwice() throws Exception {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-par", "secret-of-agent-par")) {
            TestEnv env = new TestEnv(tmp).sendingTo(api);
            int sessions = 8;
            int turns = 3;
            api.failRandomly(0.10, 3); // one request in ten, anywhere in the run (this seed: 4 of the first 24)
            ExecutorService pool = Executors.newFixedThreadPool(sessions);
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < sessions; s++) {
                String session = "par-" + s;
                done.add(pool.submit(() -> {
                    for (int t = 0; t < turns; t++) {
                        String p = "p" + t;
                        env.hook("claude-code", ("{\"session_id\":\"" + session + "\",\"cwd\":\"" + tmp + "\",\"prompt_id\":\""
                                + p + "\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"" + session + " turn " + t
                                + "\"}").getBytes());
                        env.hook("claude-code", ("{\"session_id\":\"" + session + "\",\"cwd\":\"" + tmp + "\",\"prompt_id\":\""
                                + p + "\",\"hook_event_name\":\"Stop\",\"last_assistant_message\":\"ok\"}").getBytes());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            TestEnv.Result retry = env.run(tmp, "retry");
            assertThat(retry.code()).as(retry.toString()).isZero();
            List<String> names = api.traces().stream().map(ReceivedTrace::name).toList();
            assertThat(names).as("every turn of every session, once").hasSize(sessions * turns).doesNotHaveDuplicates();
            assertThat(api.requests().stream().filter(q -> q.status() == 503).count()).as("the failures happened: %s", api.requests().stream().map(q -> q.status()).toList())
                    .isPositive();
        }
    }
}
