package ai.infinium.connector.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.export.infinium.TracePost;
import ai.infinium.connector.export.infinium.InfiniumApi;
import ai.infinium.connector.export.RetryPolicy;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.TestEnv;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sender against the loopback API stand-in: headers, retries, and what is never retried. */
class InfiniumApiTest {
    static final String AGENT = "agent-123";
    static final String SECRET = "secret-abcdefgh";
    static final byte[] TRACE = ("{\"name\":\"t\",\"description\":\"d\",\"current_datetime\":\"2026-11-21T10:00:00.000Z\","
            + "\"duration\":1.5,\"steps\":[]}").getBytes(StandardCharsets.UTF_8);

    FakeInfiniumApi api;
    List<Duration> waits = new ArrayList<>();
    InfiniumApi exporter;

    @BeforeEach
    void setUp() {
        api = FakeInfiniumApi.start(AGENT, SECRET);
        exporter = new InfiniumApi(HttpClient.newHttpClient(), TestEnv.fastRetry(), d -> waits.add(d),
                new Random(1), "9.9.9");
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    DeliveryResult send(String secret, byte[] body) {
        return exporter.send(new TracePost("key-1", body, api.baseUrl(), AGENT, secret));
    }

    @Test
    void sendsTheDocumentedHeadersAndReturnsTheTraceId() {
        DeliveryResult r = send(SECRET, TRACE);
        assertThat(r.delivered()).isTrue();
        assertThat(r.traceId()).isEqualTo(api.traces().get(0).traceId());
        var t = api.traces().get(0);
        assertThat(t.header("x-agent-id")).isEqualTo(AGENT);
        assertThat(t.header("x-agent-key")).isEqualTo(SECRET);
        assertThat(t.header("content-type")).isEqualTo("application/json");
        assertThat(t.header("user-agent")).isEqualTo("infinium-java-connector/9.9.9");
        assertThat(t.idempotencyKey()).isEqualTo("key-1");
    }

    @Test
    void retriesServerErrorsWithBackoffThenSucceeds() {
        api.failNext(503, 2);
        DeliveryResult r = send(SECRET, TRACE);
        assertThat(r.delivered()).isTrue();
        assertThat(api.requests()).hasSize(3);
        assertThat(waits).hasSize(2);
        assertThat(api.traces()).hasSize(1);
    }

    @Test
    void givesUpAfterThreeRetriesAndReportsATransientFailure() {
        api.failNext(500, 10);
        DeliveryResult r = send(SECRET, TRACE);
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.TRANSIENT);
        assertThat(r.httpStatus()).isEqualTo(500);
        assertThat(api.requests()).hasSize(4);
    }

    @Test
    void rateLimitWaitsForRetryAfter() {
        api.rateLimitNext(1);
        DeliveryResult r = send(SECRET, TRACE);
        assertThat(r.delivered()).isTrue();
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void droppedConnectionsAndTimeoutsAreRetried() {
        api.dropNext();
        api.delayNext(Duration.ofSeconds(5)); // longer than the 3 s request timeout of the test policy
        DeliveryResult r = send(SECRET, TRACE);
        assertThat(r.delivered()).isTrue();
        assertThat(api.requests()).hasSize(3);
        assertThat(api.traces()).as("the timed-out request was stored; the retry was a replay").hasSize(1);
    }

    @Test
    void authenticationFailureIsNotRetried() {
        DeliveryResult r = send("wrong-secret-123", TRACE);
        assertThat(r.outcome()).isEqualTo(DeliveryResult.Outcome.REJECTED);
        assertThat(r.httpStatus()).isEqualTo(401);
        assertThat(r.message()).contains("Authentication failed").contains("infinium init");
        assertThat(api.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void oversizedAndInvalidTracesAreNotRetried() {
        byte[] big = ("{\"name\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(send(SECRET, big).httpStatus()).isEqualTo(413);
        DeliveryResult invalid = send(SECRET, "{\"description\":\"no name\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(invalid.outcome()).isEqualTo(DeliveryResult.Outcome.REJECTED);
        assertThat(invalid.httpStatus()).isEqualTo(422);
        assertThat(invalid.message()).contains("name");
        assertThat(api.requests()).hasSize(2);
    }

    @Test
    void backoffFollowsTheSdkSchedule() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.backoff(0, 0.5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.backoff(2, 0.5)).isEqualTo(Duration.ofSeconds(4));
        assertThat(p.backoff(10, 0.5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(1500));
        assertThat(p.backoff(1, 0.999999)).isBetween(Duration.ofMillis(2499), Duration.ofMillis(2500));
    }

    /**
     * Headers, one byte of the body, then nothing: the JDK's own timeout no longer counts, so
     * without a deadline on the whole exchange the sender would wait for good. Each attempt ends
     * within the 3 s timeout; the retry under the same key finds the trace already stored.
     */
    @Test
    void aResponseThatStallsAfterItsHeadersIsAbandonedInTime() {
        api.stallAfterHeadersNext(Duration.ofSeconds(60));
        long start = System.nanoTime();
        DeliveryResult r = send(SECRET, TRACE);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.delivered()).as(r.toString()).isTrue();
        assertThat(took).as("one stalled attempt of at most the 3 s timeout, then a good one")
                .isLessThan(Duration.ofSeconds(8));
        assertThat(api.requests()).hasSize(2);
        assertThat(api.traces()).as("stored once; the retry replays it").hasSize(1);
        assertThat(api.replays()).isEqualTo(1);
    }
}
