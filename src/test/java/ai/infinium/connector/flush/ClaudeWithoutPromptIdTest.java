package ai.infinium.connector.flush;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.Fixtures;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TranscriptTotals;
import ai.infinium.connector.testing.TranscriptTotals.Totals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code before {@code promptId}: neither the transcripts nor the hooks name a turn, and
 * subagent transcripts sit beside the session's (2.0.64) or in its {@code subagents} folder
 * (2.1.39) with lines that name none either. The sessions are synthesised in those versions'
 * shapes; their message ids say which turn each response is of ({@code msg_t1_…}), so the
 * expected totals need no reading of prompts: per turn by id, per session by the lines'
 * {@code sessionId}, one count per message id.
 */
class ClaudeWithoutPromptIdTest {
    static final String MODEL = "claude-sonnet-4-5-20250929";

    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws IOException {
        api = FakeInfiniumApi.start(ClaudeFixtureTest.AGENT, ClaudeFixtureTest.SECRET);
        env = new TestEnv(tmp).sendingTo(api);
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    RecordedSession install(String client, String scenario) throws IOException {
        return Fixtures.claudeCode(tmp, client, scenario);
    }

    List<ReceivedTrace> replay(RecordedSession s) throws IOException {
        for (String f : s.eventFiles()) {
            env.hook("claude-code", s.payload(f, project));
        }
        List<ReceivedTrace> traces = api.awaitTraces(2, Duration.ofSeconds(20));
        assertThat(api.traces()).as("one trace per turn").hasSize(2);
        return traces;
    }

    TranscriptTotals totals() throws IOException {
        try (Stream<Path> files = Files.walk(tmp.resolve("claude"))) {
            return TranscriptTotals.of(files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList());
        }
    }

    String log() throws IOException {
        Path log = env.dirs().state().resolve("infinium.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    static long subagentCalls(ReceivedTrace t) {
        return t.body().path("environment").path("custom_tags").path("subagent_api_calls").asLong();
    }

    /**
     * Each trace counts its turn's responses (by message id: 3 of the session's own and 2 of the
     * Task subagent in the first, 2 and 1 of the compaction agent in the second), and the two
     * turns hold the whole session, nothing of another session's files.
     */
    void assertEachTurnCounted(List<ReceivedTrace> traces, String sessionId) throws IOException {
        TranscriptTotals totals = totals();
        Totals turn1 = totals.forMessagesStartingWith("msg_t1_");
        Totals turn2 = totals.forMessagesStartingWith("msg_t2_");
        assertThat(turn1.calls()).isEqualTo(5);
        assertThat(turn2.calls()).isEqualTo(3);
        assertThat(turn1.plus(turn2)).isEqualTo(totals.forSession(sessionId));
        ClaudeFixtureTest.assertUsage(traces.get(0), turn1, MODEL);
        assertThat(subagentCalls(traces.get(0))).isEqualTo(2);
        ClaudeFixtureTest.assertUsage(traces.get(1), turn2, MODEL);
        assertThat(subagentCalls(traces.get(1))).as("the compaction agent's").isEqualTo(1);
    }

    /**
     * 2.0.64: the Task subagent's transcript and a compaction agent's beside the session's, in the
     * project folder, with another session's subagent transcript that must not count.
     */
    @Test
    void subagentsBesideTheSessionTranscriptCountInTheTurnsThatSpawnedThem() throws IOException {
        List<ReceivedTrace> traces = replay(install("claude-code-2.0.64", "01-subagents-beside"));
        assertThat(traces.get(0).name()).startsWith("OLD-TURN1 run the tests");
        assertThat(traces.get(1).name()).startsWith("OLD-TURN2 fix the flaky test");
        assertEachTurnCounted(traces, "7c1e4b2a-3d5f-4e6a-8b9c-0d1e2f3a4b5c");
        assertThat(log()).doesNotContain("belong to no turn");
    }

    /**
     * 2.1.39: subagents in the session's folder, no subagent hook for the Task subagent (its Task
     * result names it), a local command between the turns that no hook reports, and a slash
     * command as the second prompt, recorded as command tags and an expansion marked meta.
     */
    @Test
    void subagentsInTheSessionsFolderCountInTheTurnsThatSpawnedThem() throws IOException {
        List<ReceivedTrace> traces = replay(install("claude-code-2.1.39", "01-subagents-nested"));
        assertThat(traces.get(1).name()).isEqualTo("/fix-test tests/flaky.test.js");
        assertEachTurnCounted(traces, "2b9f6d1c-8e4a-4f7b-a1c3-5d6e7f8091a2");
    }

    /**
     * A newer session (the real 2.1.330 capture) whose subagent transcript lines carry no
     * {@code promptId}, as compaction agents' and some versions' subagents' do not: the subagent's
     * responses still count in the turn its SubagentStart came in.
     */
    @Test
    void aSubagentTranscriptNamingNoPromptCountsInTheTurnThatSpawnedIt() throws IOException {
        RecordedSession s = Fixtures.claudeCode(tmp, "02-main");
        TranscriptTotals totals = totals(); // before the ids go: the subagent's lines name its turn
        Path subagent = tmp.resolve("claude/projects/-tmp-harness-claude-proj/a5fa86a9-0b94-429b-8a50-3701b0c4ba7d"
                + "/subagents/agent-ad215836758dd5315.jsonl");
        Files.writeString(subagent, Files.readString(subagent, StandardCharsets.UTF_8)
                .replace("\"promptId\":\"fab966ef-f37d-4d41-9303-fa7d131cc9a0\",", ""), StandardCharsets.UTF_8);
        assertThat(Files.readString(subagent, StandardCharsets.UTF_8)).doesNotContain("promptId");

        List<ReceivedTrace> traces = replay(s);
        Totals turn1 = totals.forPrompt("fab966ef-f37d-4d41-9303-fa7d131cc9a0");
        assertThat(turn1.calls()).as("5 main + 2 subagent responses").isEqualTo(7);
        ClaudeFixtureTest.assertUsage(traces.get(0), turn1);
        ClaudeFixtureTest.assertUsage(traces.get(1), totals.forPrompt("803de21c-2c97-47fd-b5a4-d63ad4b0f6cd"));
    }

    /**
     * A resumed transcript: an earlier run's turn comes first, with a prompt this session's hooks
     * never reported. Its response belongs to none of this session's turns, and the log says so
     * rather than the usage silently going missing or landing in the first turn.
     */
    @Test
    void responsesOfNoReportedPromptAreLoggedNotCounted() throws IOException {
        RecordedSession s = install("claude-code-2.0.64", "01-subagents-beside");
        Path main = tmp.resolve("claude/projects/-tmp-harness-claude-proj/7c1e4b2a-3d5f-4e6a-8b9c-0d1e2f3a4b5c.jsonl");
        String earlier = "{\"parentUuid\":null,\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/tmp/harness-claude/proj\","
                + "\"sessionId\":\"7c1e4b2a-3d5f-4e6a-8b9c-0d1e2f3a4b5c\",\"version\":\"2.0.64\",\"type\":\"user\","
                + "\"message\":{\"role\":\"user\",\"content\":\"an earlier run's prompt\"},\"uuid\":\"e-1\","
                + "\"timestamp\":\"2026-11-29T09:00:00.000Z\"}\n"
                + "{\"parentUuid\":\"e-1\",\"isSidechain\":false,\"sessionId\":\"7c1e4b2a-3d5f-4e6a-8b9c-0d1e2f3a4b5c\","
                + "\"message\":{\"model\":\"" + MODEL + "\",\"id\":\"msg_earlier_01\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"done before\"}],\"stop_reason\":\"end_turn\",\"usage\":"
                + "{\"input_tokens\":5,\"cache_creation_input_tokens\":700,\"cache_read_input_tokens\":0,\"output_tokens\":30}},"
                + "\"requestId\":\"req_earlier_01\",\"type\":\"assistant\",\"uuid\":\"e-2\",\"timestamp\":\"2026-11-29T09:00:02.000Z\"}\n";
        Files.writeString(main, earlier + Files.readString(main, StandardCharsets.UTF_8), StandardCharsets.UTF_8);

        List<ReceivedTrace> traces = replay(s);
        TranscriptTotals totals = totals();
        ClaudeFixtureTest.assertUsage(traces.get(0), totals.forMessagesStartingWith("msg_t1_"), MODEL);
        ClaudeFixtureTest.assertUsage(traces.get(1), totals.forMessagesStartingWith("msg_t2_"), MODEL);
        assertThat(log()).contains("1 API responses (705 prompt and 30 completion tokens) in " + main
                + " belong to no turn of the session");
    }
}
