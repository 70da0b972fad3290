package ai.infinium.connector.agent.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TraceSteps;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Gemini CLI 0.61.0 sessions (the hook payloads of the events we install, and the chats file
 * they point to) through hook, spool, flush and sender. Expected usage is what the fake model API
 * served, as its own log recorded it, not what Gemini wrote down.
 */
class GeminiFixtureTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CLIENT = "gemini-cli-0.61.0";
    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws IOException {
        api = FakeInfiniumApi.start("agent-gemini", "secret-gemini-1");
        env = new TestEnv(tmp).sendingTo(api);
        project = Files.createDirectories(tmp.resolve("project"));
        // What `init --agent gemini` leaves: the project's config and its marker for the user-level hooks.
        Files.createDirectories(project.resolve(".infinium"));
        Files.writeString(project.resolve(".infinium/config.json"), "{\"agent_id\": \"agent-gemini\"}\n");
        new ai.infinium.connector.agent.UserLevelHooks(Gemini.NAME, project, env.env()).mark();
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    static RecordedSession session(Path root, String scenario, String recordedHome) throws IOException {
        RecordedSession s = new RecordedSession("/fixtures/" + CLIENT + "/" + scenario + "/", root.resolve("gemini-tmp"),
                recordedHome + "/.gemini/tmp");
        s.installTranscripts();
        return s;
    }

    void replay(String scenario, String recordedHome) throws IOException {
        replay(scenario, recordedHome, project);
    }

    void replay(String scenario, String recordedHome, Path cwd) throws IOException {
        RecordedSession s = session(tmp, scenario, recordedHome);
        for (String f : s.eventFiles()) {
            env.hook(Gemini.NAME, s.payload(f, cwd));
        }
    }

    /** prompt, completion (candidates + thoughts), total, calls of the main model's streamed replies. */
    static long[] served(String scenario) throws IOException {
        long[] sum = new long[4];
        try (InputStream in = GeminiFixtureTest.class.getResourceAsStream("/fixtures/" + CLIENT + "/" + scenario
                + "/api-requests.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                JsonNode r = JSON.readTree(line);
                if (r.path("op").asText().equals("streamGenerateContent") && r.path("usage").isObject()) {
                    JsonNode u = r.get("usage");
                    sum[0] += u.path("promptTokenCount").asLong();
                    sum[1] += u.path("candidatesTokenCount").asLong() + u.path("thoughtsTokenCount").asLong();
                    sum[2] += u.path("totalTokenCount").asLong();
                    sum[3]++;
                }
            }
        }
        return sum;
    }

    @Test
    void aTurnWithAnOkAFailingCommandAndAFileRead() throws IOException {
        replay("05-main-read", "/tmp/harness-gemini-adapter/home");
        List<ReceivedTrace> traces = api.awaitTraces(1, Duration.ofSeconds(20));
        ReceivedTrace t = traces.get(0);
        assertThat(TraceSteps.of(t)).containsExactly(
                "user_prompt | User prompt | in=HARNESS-GEMINI-MAIN run echo hello, then a failing command, then read README.md.",
                "tool_use | Tool: run_shell_command — harness: echo hello | in=echo hello | out=hello",
                "tool_use | Tool: run_shell_command — harness: echo harness-fail >&2; exit 3 | in=echo harness-fail >&2; exit 3"
                        + " | out=harness-fail | ERROR ToolError: Command failed with exit code 3",
                "tool_use | Tool: read_file | in=README.md | out=# Harness project\nA file for the read_file tool to read.",
                "assistant_response | Assistant response | out=All done: echo worked, exit 3 failed and the file was read.");
        assertThat(t.body().path("errors")).as("the failing command only").hasSize(1);
        assertThat(t.body().path("errors").get(0).path("step_number").asInt()).isEqualTo(3);
        assertThat(t.body().path("steps").get(1).path("timestamp").asText()).as("Gemini's own stamp of BeforeTool")
                .isEqualTo("2026-12-01T07:30:06.158Z");
        assertThat(t.body().path("steps").get(1).path("duration_ms").asLong()).as("AfterTool − BeforeTool")
                .isEqualTo(97);
        JsonNode environment = t.body().path("environment");
        assertThat(environment.path("framework").asText()).isEqualTo("gemini-cli");
        assertThat(environment.path("session_id").asText()).isEqualTo("882d3072-ba42-4d5c-a45c-34d8aaecaf27");
        assertThat(environment.path("model").asText()).isEqualTo("gemini-3.8-flash");
        assertThat(environment.path("session_source").asText()).isEqualTo("startup");
        JsonNode u = t.body().path("llm_usage");
        long[] served = served("05-main-read");
        assertThat(served[3]).isEqualTo(4);
        assertThat(new long[] {u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong(),
                u.path("total_tokens").asLong(), u.path("api_calls_count").asLong()})
                .as("each streamed reply once, though Gemini wrote every message twice").containsExactly(served);
        assertThat(u.path("provider").asText()).isEqualTo("google");
        assertThat(u.path("model").asText()).isEqualTo("gemini-3.8-flash");
        assertThat(api.traces()).as("SessionEnd's flush sends nothing again").hasSize(1);
    }

    /**
     * The API answers 400: Gemini fires no AfterAgent and no SessionEnd, so nothing signals the
     * turn's end. The turn waits in the spool and goes out once, when the session is stale, as a
     * failed turn: the chats file shows Gemini took the prompt back.
     */
    @Test
    void anApiErrorTurnIsSentOnceWhenTheSessionGoesStale() throws IOException {
        env.with("CONNECTOR_SESSION_TTL", "60");
        replay("04-api-error", "/tmp/harness-gemini/home");
        assertThat(api.traces()).as("no hook ended the turn").isEmpty();
        Path spool = env.dirs().sessions().resolve("gemini/12ce0321-ca33-44da-a481-deada3c263eb.jsonl");
        assertThat(spool).exists();
        assertThat(env.run(tmp, "cleanup").out()).contains("No stale sessions");
        Files.setLastModifiedTime(spool, FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        assertThat(env.run(tmp, "cleanup").out()).contains("Flushed and removed 1 stale session");
        ReceivedTrace t = api.awaitTraces(1, Duration.ofSeconds(20)).get(0);
        assertThat(t.body().path("description").asText()).isEqualTo("HARNESS-APIERROR make the API fail");
        assertThat(TraceSteps.of(t)).containsExactly("user_prompt | User prompt | in=HARNESS-APIERROR make the API fail",
                "turn_failed | Turn failed: model request failed | ERROR APIError: The model request failed: Gemini ended"
                        + " the turn without an answer and took the prompt back (the API's error message reaches no hook)");
        assertThat(t.body().path("steps").get(1).path("timestamp").asText()).as("Gemini's stamp of the take-back")
                .isEqualTo("2026-11-21T23:59:43.945Z");
        assertThat(t.body().path("errors")).hasSize(1);
        assertThat(t.body().path("llm_usage").path("api_calls_count").asInt()).as("the failed call served nothing")
                .isZero();
        env.run(tmp, "cleanup");
        assertThat(api.traces()).as("once").hasSize(1);
    }

    /**
     * A failed turn followed by one that ends: the next turn's AfterAgent sends both, the first as
     * a failed turn (rebuilt once from the chats file), the second as it was.
     */
    @Test
    void aFailedTurnIsSentWhenTheNextTurnOfTheSessionEnds() throws IOException {
        RecordedSession failed = session(tmp.resolve("a"), "04-api-error", "/tmp/harness-gemini/home");
        RecordedSession ok = session(tmp.resolve("b"), "05-main-read", "/tmp/harness-gemini-adapter/home");
        // One session: the failed turn's chats file, then the next turn's lines, as Gemini appends them.
        Path chats = tmp.resolve("chats.jsonl");
        Files.write(chats, Files.readAllBytes(tmp.resolve("a/gemini-tmp/proj/chats/session-2026-11-21T23-59-12ce0321.jsonl")));
        Files.write(chats, Files.readAllBytes(tmp.resolve("b/gemini-tmp/proj/chats/session-2026-12-01T07-30-882d3072.jsonl")),
                java.nio.file.StandardOpenOption.APPEND);
        for (RecordedSession s : List.of(failed, ok)) {
            for (String f : s.eventFiles()) {
                com.fasterxml.jackson.databind.node.ObjectNode e = (com.fasterxml.jackson.databind.node.ObjectNode)
                        JSON.readTree(s.payload(f, project));
                e.put("session_id", "one-session").put("transcript_path", chats.toString());
                env.hook(Gemini.NAME, JSON.writeValueAsBytes(e));
            }
        }
        List<ReceivedTrace> traces = api.awaitTraces(2, Duration.ofSeconds(20));
        assertThat(TraceSteps.of(traces.get(0))).hasSize(2).last().asString().startsWith("turn_failed");
        assertThat(TraceSteps.of(traces.get(1))).hasSize(5).last().asString().startsWith("assistant_response");
        assertThat(traces.get(1).body().path("errors")).as("the failing command only").hasSize(1);
        long rebuilt = Files.readAllLines(env.dirs().sessions().resolve("gemini/one-session.jsonl")).stream()
                .filter(l -> l.contains(GeminiAdapter.PROMPT_TAKEN_BACK)).count();
        assertThat(rebuilt).as("rebuilt once, though AfterAgent and SessionEnd each flushed").isEqualTo(1);
        assertThat(api.traces()).hasSize(2);
    }

    /** User-level hooks fire in every project: one not set up for Gemini records nothing and sends nothing. */
    @Test
    void aSessionWhereNothingIsSetUpSendsNothing() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createDirectories(elsewhere.resolve(".infinium"));
        Files.writeString(elsewhere.resolve(".infinium/config.json"), "{\"agent_id\": \"agent-other\"}\n");
        replay("05-main-read", "/tmp/harness-gemini-adapter/home", elsewhere);
        assertThat(api.requests()).isEmpty();
        assertThat(env.dirs().sessions().resolve("gemini")).as("set up for other agents only: nothing recorded")
                .doesNotExist();
    }
}
