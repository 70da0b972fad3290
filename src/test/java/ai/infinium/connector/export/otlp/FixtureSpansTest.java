package ai.infinium.connector.export.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.export.otlp.FixtureSpans.Pair;
import ai.infinium.connector.export.otlp.FixtureSpans.Span;
import ai.infinium.connector.hook.HookCommand;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.Fixtures;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real captured sessions of every agent replayed in-process with both exporters on: the Infinium
 * API (a loopback fake) and OTLP (a loopback capture server). Every OTLP request is decoded with
 * the official protobuf classes, its traces paired with the Infinium traces of the same turns by
 * trace key, and each pair must describe the same turn (see {@link FixtureSpans#assertMapping}).
 * The replay loops are those of the agents' own fixture tests.
 */
class FixtureSpansTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String AGENT = "agent-spans";
    static final String SECRET = "secret-spans-1";
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path tmp;
    FakeInfiniumApi api;
    OtlpTestServer otlp;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws IOException {
        api = FakeInfiniumApi.start(AGENT, SECRET);
        otlp = new OtlpTestServer();
        // Copilot's hooks read its session log under COPILOT_HOME; the others ignore it.
        env = new TestEnv(tmp).with("COPILOT_HOME", tmp.resolve("copilot-home").toString());
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @AfterEach
    void tearDown() {
        otlp.close();
        api.close();
    }

    /** Sets the project up as a user would: Infinium credentials and an OTLP endpoint in its config. */
    void init(String agent, String... extra) {
        List<String> args = new ArrayList<>(List.of("init", "--no-interactive", "--no-check", "--mode", "command",
                "--agent", agent, "--agent-id", AGENT, "--agent-secret", SECRET, "--base-url", api.baseUrl(),
                "--otlp-endpoint", "http://127.0.0.1:" + otlp.uri().getPort()));
        args.addAll(List.of(extra));
        TestEnv.Result r = env.run(project, args.toArray(String[]::new));
        assertThat(r.code()).as("init %s: %s", agent, r).isZero();
    }

    // ------------------------------------------------------------------ replays, as each agent's fixture test does

    void replayClaude(String scenario) throws IOException {
        RecordedSession s = Fixtures.claudeCode(tmp, scenario);
        for (String f : s.eventFiles()) {
            env.hook("claude-code", s.payload(f, project));
        }
    }

    void replayCodex(String scenario) throws IOException {
        RecordedSession s = Fixtures.codex(tmp, scenario);
        for (String f : s.eventFiles()) {
            env.hook("codex", s.payload(f, project));
        }
    }

    void replayGemini(String scenario, String recordedHome) throws IOException {
        RecordedSession s = new RecordedSession("/fixtures/gemini-cli-0.61.0/" + scenario + "/",
                tmp.resolve("gemini-tmp"), recordedHome + "/.gemini/tmp");
        s.installTranscripts();
        for (String f : s.eventFiles()) {
            env.hook("gemini", s.payload(f, project));
        }
    }

    void replayQwen(String scenario) throws IOException {
        RecordedSession s = new RecordedSession("/fixtures/qwen-code-0.24.4/" + scenario + "/", tmp.resolve("qwen-home"),
                "/tmp/harness-qwen/home/.qwen");
        s.installTranscripts();
        for (String f : s.eventFiles()) {
            env.hook("qwen", s.payload(f, project));
        }
    }

    static final String COPILOT = "/fixtures/copilot-1.0.102/";

    /** Copilot names the event on the command line, and only the events we install reach us. */
    void replayCopilot(String scenario) throws IOException {
        Path sessionLog = tmp.resolve("copilot-home/session-state/s/events.jsonl");
        Files.createDirectories(sessionLog.getParent());
        Files.write(sessionLog, resource(COPILOT + scenario + "/events.jsonl"));
        Path dir;
        try {
            dir = Path.of(FixtureSpansTest.class.getResource(COPILOT + scenario).toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<String> names;
        try (Stream<Path> s = Files.list(dir)) {
            names = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d\\d-\\w+\\.json")).sorted().toList();
        }
        for (String name : names) {
            String event = name.substring(3, name.length() - ".json".length());
            if (ai.infinium.connector.agent.copilot.CopilotEvent.named(event) == null) {
                continue;
            }
            ObjectNode p = (ObjectNode) JSON.readTree(resource(COPILOT + scenario + "/" + name));
            p.put("cwd", project.toString());
            if (p.has("transcriptPath")) {
                p.put("transcriptPath", sessionLog.toString());
            }
            HookCommand.run(new String[] {"hook", "--agent", "copilot", "--event", event},
                    new ByteArrayInputStream(JSON.writeValueAsBytes(p)), env.env(), args -> {
                        TestEnv.Result r = env.run(tmp, args.toArray(String[]::new));
                        if (r.code() != 0) {
                            throw new IOException("flush failed: " + r);
                        }
                    });
        }
    }

    static byte[] resource(String path) throws IOException {
        try (InputStream in = FixtureSpansTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no fixture " + path);
            }
            return in.readAllBytes();
        }
    }

    // ------------------------------------------------------------------ collecting both sides

    /**
     * The Infinium traces and the OTLP traces of the replay, paired. Flushes run in-process and
     * synchronously, so both are normally there already; the bounded wait only covers a sender
     * still answering.
     */
    List<Pair> pairs(String agent, String fixture, int expectedTraces) {
        List<ReceivedTrace> infinium = api.awaitTraces(expectedTraces, WAIT);
        assertThat(api.traces()).as("%s %s: Infinium traces", agent, fixture).hasSize(expectedTraces);
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<Span> spans = spans();
        while (FixtureSpans.roots(spans) < expectedTraces && System.nanoTime() < deadline) {
            LockSupport.parkNanos(20_000_000L); // bounded poll: the capture server's handler thread records the body
            spans = spans();
        }
        assertThat(FixtureSpans.roots(spans)).as("%s %s: OTLP root spans", agent, fixture).isEqualTo(expectedTraces);
        for (OtlpTestServer.Received r : otlp.received()) {
            assertThat(r.header("Content-Type")).as("%s %s: OTLP body type", agent, fixture)
                    .isEqualTo("application/x-protobuf");
        }
        return FixtureSpans.pair(agent, fixture, spans, infinium);
    }

    List<Span> spans() {
        return FixtureSpans.decode(otlp.received().stream().map(OtlpTestServer.Received::body).toList());
    }

    /** Every pair meets the mapping's rules, and none carries content (no opt-in). */
    List<Pair> check(String agent, String fixture, int expectedTraces) {
        List<Pair> pairs = pairs(agent, fixture, expectedTraces);
        for (Pair p : pairs) {
            FixtureSpans.assertMapping(agent, p);
            FixtureSpans.assertNoContent(p);
        }
        return pairs;
    }

    /** Last in every test: the root durations (see {@link FixtureSpans#assertRootDuration}). */
    static void durations(List<Pair> pairs) {
        pairs.forEach(FixtureSpans::assertRootDuration);
    }

    static long count(List<Pair> pairs, String op) {
        return pairs.stream().mapToLong(p -> p.op(op).size()).sum();
    }

    static long failedTools(List<Pair> pairs) {
        return pairs.stream().mapToLong(p -> p.op("execute_tool").stream().filter(Span::failed).count()).sum();
    }

    static long subagents(List<Pair> pairs) {
        return pairs.stream().mapToLong(p -> p.op("invoke_agent").size() - 1).sum();
    }

    // ------------------------------------------------------------------ Claude Code 2.1.330

    /** Two turns: failing tools, a background subagent whose tool call lands in the first turn. */
    @Test
    void claudeMain() throws IOException {
        init("claude-code");
        replayClaude("02-main");
        List<Pair> pairs = check("claude-code", "02-main", 2);
        // The fixture's point: the checks above ran over tools, failures and a subagent, not over nothing.
        assertThat(count(pairs, "execute_tool")).as("claude 02-main tools").isEqualTo(5);
        assertThat(failedTools(pairs)).as("claude 02-main failed tools").isEqualTo(2);
        assertThat(subagents(pairs)).as("claude 02-main subagent spans (one per trace)").isEqualTo(2);
        assertThat(FixtureSpans.cacheReads(pairs)).as("claude 02-main cache reads").isPositive();
        durations(pairs);
    }

    /**
     * The same session on the capture's own clock (each event stamped when the capturing hook got
     * it, the transcripts as they stood then), so the spans' times are the real session's, not
     * this machine's replay speed.
     */
    @Test
    void claudeMainOnTheCapturedClock() throws IOException {
        init("claude-code");
        new ai.infinium.connector.testing.TimedClaudeReplay(env, "02-main", project).run(f -> false);
        List<Pair> pairs = check("claude-code", "02-main (captured clock)", 2);
        assertThat(count(pairs, "execute_tool")).isEqualTo(5);
        durations(pairs);
    }

    @Test
    void claudeForegroundSubagent() throws IOException {
        init("claude-code");
        replayClaude("11-foreground-subagent");
        List<Pair> pairs = check("claude-code", "11-foreground-subagent", 1);
        assertThat(subagents(pairs)).isEqualTo(1);
        Span sub = pairs.get(0).op("invoke_agent").stream().filter(s -> s.parentSpanId() != null).findFirst().orElseThrow();
        assertThat(pairs.get(0).spans()).as("claude 11-foreground-subagent: the subagent's tool nested in it")
                .anyMatch(s -> "execute_tool".equals(s.op()) && sub.spanId().equals(s.parentSpanId()));
        durations(pairs);
    }

    @Test
    void claudeParallel() throws IOException {
        init("claude-code");
        replayClaude("04-parallel");
        durations(check("claude-code", "04-parallel", 1));
    }

    @Test
    void claudeContinued() throws IOException {
        init("claude-code");
        replayClaude("03-continue");
        durations(check("claude-code", "03-continue", 1));
    }

    @Test
    void claudeApiError() throws IOException {
        init("claude-code");
        replayClaude("07-api-error");
        List<Pair> pairs = check("claude-code", "07-api-error", 1);
        assertThat(pairs.get(0).root().failed()).as("claude 07-api-error: the failed turn is the root's error").isTrue();
        durations(pairs);
    }

    // ------------------------------------------------------------------ Codex 0.169.0

    @Test
    void codexExecMain() throws IOException {
        init("codex");
        replayCodex("01-exec-main");
        List<Pair> pairs = check("codex", "01-exec-main", 1);
        assertThat(count(pairs, "execute_tool")).isEqualTo(3);
        assertThat(failedTools(pairs)).isEqualTo(2);
        assertThat(FixtureSpans.cacheReads(pairs)).as("codex 01-exec-main cache reads").isPositive();
        durations(pairs);
    }

    @Test
    void codexSubagent() throws IOException {
        init("codex");
        replayCodex("03-subagent");
        List<Pair> pairs = check("codex", "03-subagent", 1);
        assertThat(subagents(pairs)).isEqualTo(1);
        durations(pairs);
    }

    @Test
    void codexApiError() throws IOException {
        init("codex");
        replayCodex("06-api-error");
        List<Pair> pairs = check("codex", "06-api-error", 1);
        assertThat(pairs.get(0).root().failed()).isTrue();
        durations(pairs);
    }

    // ------------------------------------------------------------------ Gemini CLI 0.61.0

    @Test
    void geminiMainRead() throws IOException {
        init("gemini");
        replayGemini("05-main-read", "/tmp/harness-gemini-adapter/home");
        List<Pair> pairs = check("gemini", "05-main-read", 1);
        assertThat(count(pairs, "execute_tool")).isEqualTo(3);
        assertThat(failedTools(pairs)).isEqualTo(1);
        assertThat(FixtureSpans.cacheReads(pairs)).as("gemini 05-main-read cache reads").isPositive();
        durations(pairs);
    }

    /** No hook ends the failed turn: it goes out when the session is stale (as GeminiFixtureTest does it). */
    @Test
    void geminiApiError() throws IOException {
        init("gemini");
        env.with("CONNECTOR_SESSION_TTL", "60");
        replayGemini("04-api-error", "/tmp/harness-gemini/home");
        Path spool = env.dirs().sessions().resolve("gemini/12ce0321-ca33-44da-a481-deada3c263eb.jsonl");
        Files.setLastModifiedTime(spool, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        assertThat(env.run(tmp, "cleanup").out()).contains("Flushed and removed 1 stale session");
        List<Pair> pairs = check("gemini", "04-api-error", 1);
        assertThat(pairs.get(0).root().failed()).isTrue();
        durations(pairs);
    }

    // ------------------------------------------------------------------ Copilot CLI 1.0.102

    @Test
    void copilotMain() throws IOException {
        init("copilot");
        replayCopilot("01-main");
        List<Pair> pairs = check("copilot", "01-main", 1);
        assertThat(count(pairs, "execute_tool")).isEqualTo(3);
        assertThat(failedTools(pairs)).isEqualTo(1);
        assertThat(FixtureSpans.cacheReads(pairs)).as("copilot 01-main cache reads").isEqualTo(9217 + 9292 + 9368 + 9437);
        durations(pairs);
    }

    @Test
    void copilotApiError() throws IOException {
        init("copilot");
        replayCopilot("03-api-error");
        List<Pair> pairs = check("copilot", "03-api-error", 1);
        assertThat(pairs.get(0).root().failed()).isTrue();
        durations(pairs);
    }

    // ------------------------------------------------------------------ Qwen Code 0.24.4

    @Test
    void qwenMain() throws IOException {
        init("qwen");
        replayQwen("01-main");
        List<Pair> pairs = check("qwen", "01-main", 1);
        assertThat(count(pairs, "execute_tool")).isEqualTo(3);
        assertThat(failedTools(pairs)).isEqualTo(1);
        assertThat(FixtureSpans.cacheReads(pairs)).as("qwen 01-main cache reads (its telemetry's)").isEqualTo(59603);
        durations(pairs);
    }

    /** Headless Qwen fires nothing after a failed request: the stale flush sends the turn (as QwenFixtureTest does). */
    @Test
    void qwenApiError() throws IOException {
        init("qwen");
        replayQwen("03-api-error");
        env.with("CONNECTOR_SESSION_TTL", "0");
        assertThat(env.run(project, "flush", "--stale").code()).isZero();
        List<Pair> pairs = check("qwen", "03-api-error", 1);
        assertThat(pairs.get(0).root().failed()).isTrue();
        durations(pairs);
    }

    // ------------------------------------------------------------------ the content opt-in

    /** With --otlp-content the spans carry the same redacted texts the Infinium trace has. */
    @Test
    void claudeMainWithContent() throws IOException {
        init("claude-code", "--otlp-content");
        replayClaude("02-main");
        List<Pair> pairs = pairs("claude-code", "02-main (content)", 2);
        for (Pair p : pairs) {
            FixtureSpans.assertMapping("claude-code", p);
            FixtureSpans.assertContent(p);
        }
        assertThat(pairs).as("content attributes present").allSatisfy(p -> assertThat(p.root().attributes())
                .containsKeys("gen_ai.input.messages", "gen_ai.output.messages"));
        assertThat(pairs.get(0).op("execute_tool")).as("claude 02-main (content): tool arguments present")
                .isNotEmpty().allSatisfy(s -> assertThat(s.attributes()).containsKey("gen_ai.tool.call.arguments"));
        durations(pairs);
    }

    @Test
    void codexSubagentWithContent() throws IOException {
        init("codex", "--otlp-content");
        replayCodex("03-subagent");
        List<Pair> pairs = pairs("codex", "03-subagent (content)", 1);
        for (Pair p : pairs) {
            FixtureSpans.assertMapping("codex", p);
            FixtureSpans.assertContent(p);
        }
        durations(pairs);
    }
}
