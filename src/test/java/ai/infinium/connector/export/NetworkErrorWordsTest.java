package ai.infinium.connector.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.export.infinium.TracePost;
import ai.infinium.connector.export.infinium.InfiniumApi;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.FreePort;
import ai.infinium.connector.testing.TestEnv;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What a failed delivery says, against real sockets on loopback: each way the network fails gets
 * words a person acts on (host, port, what to check), never a Java exception's class name.
 */
class NetworkErrorWordsTest {
    final InfiniumApi exporter = new InfiniumApi(HttpClient.newHttpClient(), TestEnv.fastRetry(), d -> { },
            new Random(1), "9.9.9");

    String failureTo(String baseUrl) {
        DeliveryResult r = exporter.send(new TracePost("k", "{}".getBytes(StandardCharsets.UTF_8), baseUrl, "agent-1",
                "secret-12345678"));
        assertThat(r.delivered()).isFalse();
        assertThat(r.message()).doesNotContain("Exception").doesNotContain("java.");
        return r.message();
    }

    @Test
    void nothingListening() {
        int port = FreePort.find();
        assertThat(failureTo("http://127.0.0.1:" + port + "/api/v1"))
                .startsWith("connection refused by 127.0.0.1:" + port);
    }

    @Test
    void anUnknownHost() {
        assertThat(failureTo("http://no-such-host.invalid/api/v1")).startsWith("unknown host no-such-host.invalid");
    }

    @Test
    void httpsToAPlainHttpPort() {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-1", "secret-12345678")) {
            assertThat(failureTo(api.baseUrl().replace("http://", "https://")))
                    .startsWith("127.0.0.1:" + api.port() + " does not speak TLS").contains("use http://");
        }
    }

    @Test
    void somethingThatIsNotAnHttpServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                        out.write("SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        s.getInputStream().read(new byte[4096]);
                    } catch (Exception closed) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            String where = "127.0.0.1:" + server.getLocalPort();
            assertThat(failureTo("http://" + where + "/api/v1")).startsWith(where + " is not an HTTP server");
        }
    }
}
