package ai.infinium.connector.bench;

import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.RecordedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * {@link FakeInfiniumApi} as a process for {@code bench/server-bench.sh}: prints its base URL on
 * stdout, then appends one JSON line per accepted trace to OUT_FILE, with the instant the fake
 * accepted it ({@code received_at_us}, microseconds since the epoch: the same clock as Python's
 * {@code time.time_ns()}), the session id, the idempotency key and the steps, so the bench can
 * time Stop → delivered and check that nothing was lost or sent twice. A line {@code
 * {"requests":N,"replays":R,"rejected":J}} follows whenever one of those counts changes. Serves
 * on 127.0.0.1 until killed.
 *
 * <p>Usage: {@code TraceLogApi AGENT_ID SECRET OUT_FILE}
 */
public final class TraceLogApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TraceLogApi() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: TraceLogApi AGENT_ID SECRET OUT_FILE");
            System.exit(2);
        }
        FakeInfiniumApi api = FakeInfiniumApi.start(args[0], args[1]);
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "fake-infinium-shutdown"));
        Path out = Path.of(args[2]);
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            System.out.println(api.baseUrl());
            System.out.flush();
            int seen = 0;
            String counts = "";
            while (true) { // until killed; a 5 ms poll: the timestamps are the fake's own, not this loop's
                List<ReceivedTrace> traces = api.traces();
                for (int i = seen; i < traces.size(); i++) {
                    w.write(JSON.writeValueAsString(line(traces.get(i))));
                    w.write('\n');
                }
                boolean wrote = traces.size() > seen;
                seen = traces.size();
                List<RecordedRequest> requests = api.requests();
                long traceRequests = requests.stream().filter(r -> r.path().endsWith("/trace")).count();
                long rejected = requests.stream().filter(r -> r.status() != 200).count();
                String now = "{\"requests\":" + traceRequests + ",\"replays\":" + api.replays() + ",\"rejected\":"
                        + rejected + "}";
                if (!now.equals(counts)) {
                    w.write(now);
                    w.write('\n');
                    counts = now;
                    wrote = true;
                }
                if (wrote) {
                    w.flush();
                }
                Thread.sleep(5);
            }
        }
    }

    static ObjectNode line(ReceivedTrace t) {
        Instant at = t.receivedAt();
        ObjectNode n = JSON.createObjectNode();
        n.put("received_at_us", at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000);
        n.put("trace_id", t.traceId());
        n.put("idempotency_key", t.idempotencyKey());
        n.put("session_id", t.body().path("environment").path("session_id").asText());
        n.put("name", t.name());
        ArrayNode actions = n.putArray("actions");
        ArrayNode inputs = n.putArray("tool_inputs");
        ArrayNode outputs = n.putArray("tool_outputs");
        for (JsonNode s : t.body().path("steps")) {
            actions.add(s.path("action").asText());
            if ("tool_use".equals(s.path("action").asText())) {
                inputs.add(s.path("input_preview").asText());
                outputs.add(s.path("output_preview").asText());
            }
        }
        return n;
    }
}
