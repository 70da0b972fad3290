package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.e2e.OtlpReceiver.ReceivedSpan;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.Fixtures;
import ai.infinium.connector.testing.HookProcess;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Claude Code 2.1.330 session (02-main: two turns, failing tools, a subagent) replayed
 * through real hook processes, whose detached flush workers export to the real OTLP receiver
 * process ({@code @elastic/mockotlpserver}) and to a loopback Infinium API: the spans must be the
 * turns as Infinium got them, and every trace must arrive at each destination exactly once
 * whichever of the two is down.
 */
@Tag("e2e")
class OtlpExportE2ETest {
    static final String AGENT = "agent-otlp";
    static final String SECRET = "secret-of-agent-otlp";
    static final Duration WAIT = Duration.ofSeconds(90);
    /** Attributes that carry text of the session: only with the project's content opt-in. */
    static final List<String> CONTENT = List.of("gen_ai.input.messages", "gen_ai.output.messages",
            "gen_ai.tool.call.arguments", "gen_ai.tool.call.result", "gen_ai.system_instructions");

    @TempDir Path tmp;
    FakeInfiniumApi api;
    OtlpReceiver receiver;
    TestEnv env;
    Path project;
    RecordedSession session;

    @BeforeEach
    void setUp() throws Exception {
        api = FakeInfiniumApi.start(AGENT, SECRET);
        receiver = OtlpReceiver.start();
        env = new TestEnv(tmp).with("INFINIUM_SECRET_STORE", "file");
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve(".claude"));
        session = Fixtures.claudeCode(tmp, "02-main");
    }

    @AfterEach
    void tearDown() {
        receiver.close();
        api.close();
    }

    TestEnv.Result init(String... extra) {
        List<String> args = new ArrayList<>(List.of("init", "--no-interactive", "--agent", "claude-code", "--mode",
                "command", "--no-check", "--otlp-endpoint", "http://127.0.0.1:" + receiver.port()));
        args.addAll(List.of(extra));
        TestEnv.Result r = env.run(project, args.toArray(String[]::new));
        assertThat(r.code()).as(r.toString()).isZero();
        return r;
    }

    TestEnv.Result initBoth(String... extra) {
        List<String> args = new ArrayList<>(List.of("--agent-id", AGENT, "--agent-secret", SECRET, "--base-url",
                api.baseUrl()));
        args.addAll(List.of(extra));
        return init(args.toArray(String[]::new));
    }

    /** Every event as Claude Code ran it: one hook process each, Stop starting the detached flush. */
    void replay() throws Exception {
        for (String f : session.eventFiles()) {
            HookProcess.Outcome o = HookProcess.run(env.env(), "claude-code", session.payload(f, project));
            assertThat(o.exitCode()).isZero();
            assertThat(o.stdout()).isEmpty();
        }
    }

    /** The traces the receiver holds, each as its spans, in the order their roots arrived. */
    static Map<String, List<ReceivedSpan>> byTrace(List<ReceivedSpan> spans) {
        Map<String, List<ReceivedSpan>> out = new LinkedHashMap<>();
        for (ReceivedSpan s : spans) {
            out.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    /** Waits until the receiver has {@code n} traces with their roots, and returns them. */
    Map<String, List<ReceivedSpan>> awaitTraces(int n) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<ReceivedSpan> spans = receiver.awaitSpans(1, WAIT);
            long roots = spans.stream().filter(s -> s.parentSpanId() == null).count();
            if (roots >= n || System.nanoTime() > deadline) {
                assertThat(roots).as("root spans at the receiver: %s", spans).isEqualTo(n);
                return byTrace(spans);
            }
            Thread.sleep(100); // bounded poll: the senders are other processes
        }
    }

    static ReceivedSpan root(List<ReceivedSpan> spans) {
        List<ReceivedSpan> roots = spans.stream().filter(s -> s.parentSpanId() == null).toList();
        assertThat(roots).as("one root per trace").hasSize(1);
        return roots.get(0);
    }

    static List<ReceivedSpan> operation(List<ReceivedSpan> spans, String op) {
        return spans.stream().filter(s -> op.equals(s.attributes().get("gen_ai.operation.name"))).toList();
    }

    static long sum(List<ReceivedSpan> spans, String attribute) {
        return spans.stream().mapToLong(s -> ((Number) s.attributes().getOrDefault(attribute, 0L)).longValue()).sum();
    }

    /** The Infinium trace of the same turn: the OTLP root names the trace key Infinium got as Idempotency-Key. */
    static ReceivedTrace infiniumTwin(List<ReceivedTrace> traces, ReceivedSpan root) {
        Object key = root.attributes().get("infinium.trace_key");
        return traces.stream().filter(t -> t.idempotencyKey().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no Infinium trace with key " + key + " among " + traces));
    }

    @Test
    void aSessionWithASubagentAndFailingToolsBecomesGenAiSpansMatchingTheInfiniumTraces() throws Exception {
        initBoth();
        replay();
        List<ReceivedTrace> infinium = api.awaitTraces(2, WAIT);
        Map<String, List<ReceivedSpan>> traces = awaitTraces(2);
        String sessionId = infinium.get(0).body().path("environment").path("session_id").asText();
        List<String> allText = new ArrayList<>();
        boolean sawSubagent = false;
        int nestedWork = 0;
        for (List<ReceivedSpan> spans : traces.values()) {
            ReceivedSpan root = root(spans);
            ReceivedTrace twin = infiniumTwin(infinium, root);
            JsonNode body = twin.body();
            assertThat(root.name()).startsWith("invoke_agent");
            assertThat(root.attributes()).containsEntry("gen_ai.operation.name", "invoke_agent")
                    .containsEntry("gen_ai.conversation.id", sessionId).containsEntry("gen_ai.provider.name", "anthropic");
            assertThat(root.resourceAttributes()).containsEntry("service.name", "infinium");
            // ends when the Infinium trace ends; starts at its start, or earlier when a step of it began
            // before (a tool call of the previous turn whose result came late): a root covers its children
            long end = java.time.Instant.parse(body.path("current_datetime").asText()).toEpochMilli();
            assertThat(root.endTimeUnixNano() / 1_000_000).as("end").isEqualTo(end);
            assertThat((root.endTimeUnixNano() - root.startTimeUnixNano()) / 1e9).as("duration")
                    .isGreaterThanOrEqualTo(body.path("duration").asDouble() - 0.001);
            for (ReceivedSpan s : spans) {
                assertThat(s.startTimeUnixNano()).as("%s within the root", s.name())
                        .isBetween(root.startTimeUnixNano(), root.endTimeUnixNano());
                assertThat(s.endTimeUnixNano()).as("%s within the root", s.name())
                        .isBetween(s.startTimeUnixNano(), root.endTimeUnixNano());
            }

            // a tool span per tool step, ERROR exactly where Infinium has the step's error
            List<JsonNode> toolSteps = new ArrayList<>();
            body.path("steps").forEach(s -> {
                if (s.path("action").asText().equals("tool_use")) {
                    toolSteps.add(s);
                }
            });
            List<ReceivedSpan> tools = operation(spans, "execute_tool");
            assertThat(tools).hasSize(toolSteps.size());
            long failedSteps = toolSteps.stream().filter(s -> s.has("error")).count();
            List<ReceivedSpan> failed = tools.stream().filter(s -> s.statusCode().equals("STATUS_CODE_ERROR")).toList();
            assertThat(failed).hasSize((int) failedSteps);
            for (ReceivedSpan f : failed) {
                assertThat(f.statusMessage()).isNotBlank();
                assertThat(f.events()).anyMatch(e -> e.name().equals("exception"));
            }

            // the chat spans' tokens add up to the trace's usage
            List<ReceivedSpan> chats = operation(spans, "chat");
            JsonNode usage = body.path("llm_usage");
            assertThat(chats).hasSize(usage.path("api_calls_count").asInt());
            assertThat(sum(chats, "gen_ai.usage.input_tokens")).isEqualTo(usage.path("prompt_tokens").asLong());
            assertThat(sum(chats, "gen_ai.usage.output_tokens")).isEqualTo(usage.path("completion_tokens").asLong());
            JsonNode tags = body.path("environment").path("custom_tags");
            assertThat(sum(chats, "gen_ai.usage.cache_read.input_tokens"))
                    .isEqualTo(tags.path("cache_read_input_tokens").asLong());
            assertThat(sum(chats, "gen_ai.usage.cache_creation.input_tokens"))
                    .isEqualTo(tags.path("cache_creation_input_tokens").asLong());

            // a subagent is an invoke_agent span under the root, with its own work under it
            List<ReceivedSpan> agents = operation(spans, "invoke_agent").stream()
                    .filter(s -> s.parentSpanId() != null).toList();
            // (a background subagent's work may have gone out with the previous turn, its end with
            // this one: whatever of its work this trace holds is under it)
            for (ReceivedSpan sub : agents) {
                sawSubagent = true;
                assertThat(sub.parentSpanId()).isEqualTo(root.spanId());
                Object id = sub.attributes().get("gen_ai.agent.id");
                for (ReceivedSpan tool : tools) {
                    JsonNode step = body.path("steps").get(((Number) tool.attributes().get("infinium.step.number")).intValue() - 1);
                    if (id != null && id.equals(step.path("agent_id").asText(null))) {
                        assertThat(tool.parentSpanId()).as("%s nested in its subagent", tool.name()).isEqualTo(sub.spanId());
                        nestedWork++;
                    }
                }
            }
            for (ReceivedSpan s : spans) {
                assertThat(s.attributes().keySet()).as("no content without the opt-in").doesNotContainAnyElementsOf(CONTENT);
                s.attributes().values().forEach(v -> allText.add(String.valueOf(v)));
                allText.add(s.name());
            }
            String prompt = body.path("input_summary").asText();
            assertThat(allText).as("the prompt is nowhere in the spans").noneMatch(t -> t.contains(prompt));
        }
        assertThat(sawSubagent).as("02-main has a subagent").isTrue();
        assertThat(nestedWork).as("the subagent's tool calls sit under it").isPositive();
        env.awaitDeliveriesDone(WAIT);
        int requests = receiver.requests();

        // flushing again or retrying sends nothing new to either
        TestEnv.Result retry = env.run(project, "retry");
        assertThat(retry.code()).as(retry.toString()).isZero();
        Path spool = spoolFile();
        env.run(project, "flush", "--session-file", spool.toString());
        assertThat(receiver.requests()).isEqualTo(requests);
        assertThat(api.traces()).hasSize(2);
        TestEnv.Result history = env.run(project, "history");
        assertThat(history.out().lines().filter(l -> l.contains(" otlp ")).count()).isEqualTo(2);
        assertThat(history.out().lines().filter(l -> l.contains(" infinium ")).count()).isEqualTo(2);
    }

    Path spoolFile() throws Exception {
        try (Stream<Path> s = Files.walk(env.dirs().sessions())) {
            return s.filter(p -> p.toString().endsWith(".jsonl") && !p.toString().endsWith("malformed.jsonl")).findFirst()
                    .orElseThrow();
        }
    }

    /** OTLP only, over OTLP/JSON, with the content opt-in: no Infinium credentials anywhere. */
    @Test
    void anOtlpOnlyProjectOverJsonWithContentNeedsNoInfiniumCredentials() throws Exception {
        init("--no-infinium", "--otlp-protocol", "http/json", "--otlp-content");
        replay();
        Map<String, List<ReceivedSpan>> traces = awaitTraces(2);
        env.awaitDeliveriesDone(WAIT);
        assertThat(api.requests()).as("nothing went to Infinium").isEmpty();
        for (List<ReceivedSpan> spans : traces.values()) {
            ReceivedSpan root = root(spans);
            assertThat(root.attributes()).containsKeys("gen_ai.input.messages", "gen_ai.output.messages");
            assertThat(operation(spans, "execute_tool"))
                    .allMatch(s -> s.attributes().containsKey("gen_ai.tool.call.arguments"));
        }
        assertThat(traces.values().stream().flatMap(List::stream).filter(s -> "execute_tool".equals(
                s.attributes().get("gen_ai.operation.name")))).as("02-main runs tools").isNotEmpty();
        TestEnv.Result status = env.run(project, "status");
        assertThat(status.out()).contains("infinium  off").contains("otlp      http://127.0.0.1:" + receiver.port());

        // `infinium test` proves the endpoint without an Infinium account, and says when it is down
        TestEnv.Result test = env.run(project, "test");
        assertThat(test.code()).as(test.toString()).isZero();
        assertThat(test.out()).contains("OK: the endpoint accepted the spans");
        assertThat(awaitTraces(3)).hasSize(3);
        receiver.close();
        TestEnv.Result down = env.run(project, "test");
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).contains("the OTLP endpoint did not accept the spans");
    }

    /** The same outbox entry sent twice is the same trace: every id derives from the trace key. */
    @Test
    void aResentTraceCarriesTheSameIds() throws Exception {
        init("--no-infinium");
        int port = receiver.port();
        receiver.close();
        replay();
        awaitPending("otlp", 2);
        Path outbox = env.dirs().state().resolve("outbox");
        Map<Path, byte[]> saved = new LinkedHashMap<>();
        try (Stream<Path> s = Files.list(outbox)) {
            for (Path p : s.filter(p -> p.toString().endsWith(".otlp.json")).toList()) {
                saved.put(p, Files.readAllBytes(p));
            }
        }
        receiver = OtlpReceiver.start(port);
        assertThat(env.run(project, "retry").code()).isZero();
        Map<String, List<ReceivedSpan>> first = awaitTraces(2);
        for (Map.Entry<Path, byte[]> e : saved.entrySet()) {
            Files.write(e.getKey(), e.getValue()); // as if the connector died before it saw the 200
        }
        assertThat(env.run(project, "retry").code()).isZero();
        List<ReceivedSpan> all = receiver.awaitSpans(2 * first.values().stream().mapToInt(List::size).sum(), WAIT);
        Map<String, List<ReceivedSpan>> again = byTrace(all.stream().filter(s -> s.request() > 2).toList());
        assertThat(again.keySet()).isEqualTo(first.keySet());
        for (String traceId : first.keySet()) {
            assertThat(ids(again.get(traceId))).isEqualTo(ids(first.get(traceId)));
        }
    }

    static Map<String, String> ids(List<ReceivedSpan> spans) {
        return spans.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s.name() + " < " + s.parentSpanId(),
                (a, b) -> a + " DUPLICATE " + b, java.util.TreeMap::new));
    }

    /** Waits until the flush workers are done and {@code n} entries for {@code exporter} wait in the outbox. */
    void awaitPending(String exporter, int n) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Path outbox = env.dirs().state().resolve("outbox");
        while (true) {
            long pending = 0;
            if (Files.isDirectory(outbox)) {
                try (Stream<Path> s = Files.list(outbox)) {
                    pending = s.filter(p -> p.toString().endsWith(".json") && p.toString().endsWith(".otlp.json")
                            == exporter.equals("otlp")).count();
                }
            }
            boolean workers = ProcessHandle.allProcesses()
                    .anyMatch(p -> p.info().commandLine().orElse("").contains(env.dirs().sessions().toString()));
            if (pending >= n && !workers || System.nanoTime() > deadline) {
                assertThat(pending).as(exporter + " entries waiting").isEqualTo(n);
                return;
            }
            Thread.sleep(100); // bounded poll: the workers are other processes
        }
    }

    @Test
    void theReceiverDownWhileInfiniumIsUpLosesAndRepeatsNothing() throws Exception {
        initBoth();
        int port = receiver.port();
        receiver.close();
        replay();
        assertThat(api.awaitTraces(2, WAIT)).hasSize(2);
        awaitPending("otlp", 2);
        receiver = OtlpReceiver.start(port);
        TestEnv.Result retry = env.run(project, "retry");
        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(awaitTraces(2)).hasSize(2);
        assertThat(receiver.requests()).isEqualTo(2);
        assertThat(api.traces()).as("Infinium got each once").hasSize(2);
    }

    @Test
    void infiniumDownWhileTheReceiverIsUpLosesAndRepeatsNothing() throws Exception {
        initBoth();
        api.setDown(true);
        replay();
        assertThat(awaitTraces(2)).hasSize(2);
        awaitPending("infinium", 2);
        api.setDown(false);
        TestEnv.Result retry = env.run(project, "retry");
        assertThat(retry.code()).as(retry.toString()).isZero();
        assertThat(api.awaitTraces(2, WAIT)).hasSize(2);
        assertThat(receiver.requests()).as("the receiver got each once").isEqualTo(2);
        assertThat(api.traces().stream().map(ReceivedTrace::idempotencyKey).distinct().count()).isEqualTo(2);
    }
}
