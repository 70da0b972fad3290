package ai.infinium.connector.agent.copilot;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.hook.HookCommand;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TraceSteps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Copilot CLI 1.0.102 sessions (captured hook payloads and session logs) through the hook,
 * the spool, the flush and the sender. Only the events infinium installs are fed, as Copilot would
 * with our hooks file. Expected usage is summed here from the captured log's usage records.
 */
class CopilotFixtureTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FIXTURES = "/fixtures/copilot-1.0.102/";
    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    Path project;
    Path sessionLog;

    @BeforeEach
    void setUp() throws IOException {
        api = FakeInfiniumApi.start("agent-copilot", "secret-copilot-1");
        env = new TestEnv(tmp).with("COPILOT_HOME", tmp.resolve("copilot-home").toString());
        project = Files.createDirectories(tmp.resolve("project"));
        sessionLog = tmp.resolve("copilot-home/session-state/s/events.jsonl");
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    void init(Path dir) {
        TestEnv.Result r = env.run(dir, "init", "--no-interactive", "--no-check", "--mode", "command", "--agent", "copilot",
                "--agent-id", api.agentId(), "--agent-secret", api.agentSecret(), "--base-url", api.baseUrl());
        assertThat(r.code()).as(r.toString()).isZero();
    }

    static byte[] resource(String path) throws IOException {
        try (InputStream in = CopilotFixtureTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("no fixture " + path);
            }
            return in.readAllBytes();
        }
    }

    /** The scenario's hook payloads of the events we install, in firing order, moved into this test's directories. */
    List<byte[]> payloads(String scenario, Path cwd) throws IOException {
        List<byte[]> out = new java.util.ArrayList<>();
        String listing = new String(resource(FIXTURES + scenario + "/command.txt"), StandardCharsets.UTF_8);
        assertThat(listing).contains("copilot");
        for (String name : fixtureNames(scenario)) {
            String event = name.substring(3, name.length() - ".json".length());
            if (CopilotEvent.named(event) == null) {
                continue;
            }
            ObjectNode p = (ObjectNode) JSON.readTree(resource(FIXTURES + scenario + "/" + name));
            p.put("cwd", cwd.toString());
            if (p.has("transcriptPath")) {
                p.put("transcriptPath", sessionLog.toString());
            }
            p.put("_event", event);
            out.add(JSON.writeValueAsBytes(p));
        }
        return out;
    }

    static List<String> fixtureNames(String scenario) throws IOException {
        Path dir;
        try {
            dir = Path.of(CopilotFixtureTest.class.getResource(FIXTURES + scenario).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d\\d-\\w+\\.json")).sorted().toList();
        }
    }

    /** One hook call as Copilot makes it with our file: the event on the command line; a flush runs here. */
    void hook(byte[] payloadWithEvent) throws IOException {
        ObjectNode p = (ObjectNode) JSON.readTree(payloadWithEvent);
        String event = p.remove("_event").asText();
        HookCommand.run(new String[] {"hook", "--agent", "copilot", "--event", event},
                new ByteArrayInputStream(JSON.writeValueAsBytes(p)), env.env(), args -> {
                    TestEnv.Result r = env.run(tmp, args.toArray(String[]::new));
                    if (r.code() != 0) {
                        throw new IOException("flush failed: " + r);
                    }
                });
    }

    void replay(String scenario) throws IOException {
        Files.createDirectories(sessionLog.getParent());
        Files.write(sessionLog, resource(FIXTURES + scenario + "/events.jsonl"));
        for (byte[] p : payloads(scenario, project)) {
            hook(p);
        }
    }

    /** prompt tokens, completion tokens and responses, summed from the log's usage records by this test. */
    long[] loggedUsage() throws IOException {
        long[] sum = new long[3];
        for (String line : Files.readAllLines(sessionLog)) {
            JsonNode n = JSON.readTree(line);
            if (n.path("type").asText().equals("session.usage_record")) {
                sum[0] += n.path("data").path("usage").path("inputTokens").asLong();
                sum[1] += n.path("data").path("usage").path("outputTokens").asLong();
                sum[2]++;
            }
        }
        return sum;
    }

    @Test
    void aTurnWithAnOkAFailingCommandAndAReadIsOneTraceWithTheFailureAsItsOnlyError() throws IOException {
        init(project);
        replay("01-main");
        List<ReceivedTrace> traces = api.traces();
        assertThat(traces).as("agentStop flushed the turn, sessionEnd found nothing more").hasSize(1);
        ReceivedTrace t = traces.get(0);
        assertThat(TraceSteps.of(t)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-COPILOT-TURN1 run echo hello, then a failing command, then read README.md.",
                "tool_use | Tool: bash — harness: echo hello | in=echo hello | out=hello\n<shellId: 0 completed with exit code 0>",
                "tool_use | Tool: bash — harness: exit 3 | in=echo harness-fail >&2; exit 3 | out=harness-fail\n"
                        + "<shellId: 1 completed with exit code 3> | ERROR ToolError: Command failed with exit code 3",
                "tool_use | Tool: view | in=/tmp/harness-copilot/proj/README.md | out=# Harness project\nA file for the view tool to read.",
                "assistant_response | Assistant response | out=All done: echo worked, exit 3 failed and the file was read.");
        assertThat(t.body().path("errors")).hasSize(1);
        long[] expected = loggedUsage();
        JsonNode usage = t.body().path("llm_usage");
        assertThat(expected).containsExactly(49754, 312, 4);
        assertThat(usage.path("prompt_tokens").asLong()).isEqualTo(expected[0]);
        assertThat(usage.path("completion_tokens").asLong()).isEqualTo(expected[1]);
        assertThat(usage.path("api_calls_count").asLong()).isEqualTo(expected[2]);
        assertThat(usage.path("provider").asText()).isEqualTo("openai");
        JsonNode environment = t.body().path("environment");
        assertThat(environment.path("framework").asText()).isEqualTo("copilot-cli");
        assertThat(environment.path("session_id").asText()).isEqualTo("751984ff-c287-40b3-b1bf-65da64839505");
        assertThat(environment.path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(environment.path("custom_tags").path("cache_read_tokens").asLong()).isEqualTo(9217 + 9292 + 9368 + 9437);
    }

    @Test
    void theSpoolNamesEachEventFromTheCommandLine() throws IOException {
        init(project);
        replay("01-main");
        Path spool = env.dirs().sessions().resolve("copilot/751984ff-c287-40b3-b1bf-65da64839505.jsonl");
        List<String> names = Files.readAllLines(spool).stream()
                .map(l -> { try { return JSON.readTree(l).path("event").path("hook_event_name").asText(); }
                            catch (IOException e) { throw new java.io.UncheckedIOException(e); } })
                .toList();
        assertThat(names).containsExactly("userPromptSubmitted", "preToolUse", "postToolUse", "preToolUse", "postToolUse",
                "preToolUse", "postToolUse", "agentStop", "sessionEnd");
    }

    /** The API answers 400: errorOccurred, then sessionEnd "error" and no agentStop. The turn goes out once, failed. */
    @Test
    void anApiErrorTurnGoesOutOnceWithTheError() throws IOException {
        init(project);
        replay("03-api-error");
        List<ReceivedTrace> traces = api.traces();
        assertThat(traces).hasSize(1);
        assertThat(TraceSteps.of(traces.get(0))).containsExactly(
                "user_prompt | User prompt | in=HARNESS-APIERROR make the API fail",
                "turn_failed | Turn failed: model request failed | ERROR APIError: The model request failed: fake server: injected failure");
        assertThat(traces.get(0).body().path("llm_usage").path("api_calls_count").asLong()).isZero();
        env.run(tmp, "flush", "--stale");
        assertThat(api.traces()).as("nothing left to send twice").hasSize(1);
    }

    /** The hooks are the user's and fire everywhere: a directory no project set up for Copilot records nothing. */
    @Test
    void aSessionOutsideASetUpProjectLeavesNoTrace() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere/sub"));
        Path claudeOnly = Files.createDirectories(tmp.resolve("claude-only"));
        TestEnv.Result r = env.run(claudeOnly, "init", "--no-interactive", "--no-check", "--mode", "command", "--agent",
                "claude-code", "--agent-id", api.agentId(), "--agent-secret", api.agentSecret(), "--base-url", api.baseUrl());
        assertThat(r.code()).as(r.toString()).isZero();
        Files.createDirectories(sessionLog.getParent());
        Files.write(sessionLog, resource(FIXTURES + "01-main/events.jsonl"));
        for (Path cwd : List.of(elsewhere, claudeOnly)) {
            for (byte[] p : payloads("01-main", cwd)) {
                hook(p);
            }
        }
        assertThat(env.dirs().sessions().resolve("copilot")).doesNotExist();
        assertThat(api.traces()).isEmpty();
    }
}
