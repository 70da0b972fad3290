package ai.infinium.connector.agent.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.EventTurns;
import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Normalising, pairing, exit codes and usage, from the captured 0.61.0 payloads and chats file. */
class GeminiAdapterTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MAIN = "/fixtures/gemini-cli-0.61.0/05-main-read/";
    static final String CHATS = "proj/chats/session-2026-12-01T07-30-882d3072.jsonl";
    @TempDir Path tmp;

    ObjectNode payload(String file) throws Exception {
        try (InputStream in = getClass().getResourceAsStream(MAIN + file)) {
            ObjectNode n = (ObjectNode) JSON.readTree(in);
            n.put("transcript_path", tmp.resolve(CHATS).toString());
            return n;
        }
    }

    List<SpooledEvent> spooled(String... files) throws Exception {
        Path chats = tmp.resolve(CHATS);
        Files.createDirectories(chats.getParent());
        try (InputStream in = getClass().getResourceAsStream(MAIN + CHATS)) {
            Files.write(chats, in.readAllBytes());
        }
        List<SpooledEvent> out = new ArrayList<>();
        for (String f : files) {
            out.add(new SpooledEvent(out.size() + 1, "2026-12-01T08:00:00.000Z", 1_796_112_000_000L, payload(f)));
        }
        return out;
    }

    @Test
    void toolCallsWithoutIdsArePairedByToolAndInputEvenWhenTheirHooksInterleave() throws Exception {
        List<AgentEvent> e = new GeminiAdapter().normalize(
                spooled("02-BeforeAgent.json", "10-BeforeTool.json", "22-BeforeTool.json", "23-AfterTool.json",
                        "11-AfterTool.json"));
        assertThat(e.get(3).name()).isEqualTo("read_file");
        assertThat(e.get(3).toolUseId()).isEqualTo(e.get(2).toolUseId());
        assertThat(e.get(4).toolUseId()).isEqualTo(e.get(1).toolUseId()).isNotEqualTo(e.get(2).toolUseId());
    }

    @Test
    void eventsKeepGeminisOwnTimestamps() throws Exception {
        AgentEvent prompt = new GeminiAdapter().normalize(spooled("02-BeforeAgent.json")).get(0);
        assertThat(prompt.kind()).isEqualTo(EventKind.PROMPT);
        assertThat(prompt.timestamp()).isEqualTo("2026-12-01T07:30:05.184Z");
        assertThat(prompt.millis()).isEqualTo(java.time.Instant.parse("2026-12-01T07:30:05.184Z").toEpochMilli());
    }

    @Test
    void theExitCodeIsOnlyTheTrailerOfAShellCallsOutput() throws Exception {
        AgentEvent failed = new GeminiAdapter().normalize(spooled("16-BeforeTool.json", "17-AfterTool.json")).get(1);
        assertThat(failed.error()).isEqualTo("Command failed with exit code 3");
        assertThat(failed.tags()).containsEntry("exit_code", "3");
        assertThat(GeminiToolResult.exitCode("<untrusted_context>\nOutput: Exit Code: 9\nProcess Group PGID: 1\n"
                + "</untrusted_context>")).as("printed by the command, no trailer").isNull();
        assertThat(GeminiToolResult.exitCode("Output: x\nExit Code: 9\nOutput continues")).isNull();
        JsonNode readOfALog = JSON.readTree("{\"llmContent\":\"step 1\\nExit Code: 2\\n\",\"returnDisplay\":\"\"}");
        assertThat(GeminiToolResult.of("read_file", readOfALog).error()).as("a file's text is no exit code").isNull();
        JsonNode missing = JSON.readTree("{\"llmContent\":\"File not found\",\"returnDisplay\":\"File not found\","
                + "\"error\":{\"message\":\"File not found: /p/x\",\"type\":\"file_not_found\"}}");
        GeminiToolResult r = GeminiToolResult.of("read_file", missing);
        assertThat(r.errorType()).isEqualTo("file_not_found");
        assertThat(r.error()).isEqualTo("File not found: /p/x");
    }

    @Test
    void theAnswerComesFromTheChatsFileNotTheGarbledHookText() throws Exception {
        List<AgentEvent> e = new GeminiAdapter().normalize(spooled("02-BeforeAgent.json", "22-BeforeTool.json",
                "23-AfterTool.json", "32-AfterAgent.json"));
        assertThat(e.get(3).output()).isEqualTo("All done: echo worked, exit 3 failed and the file was read.");
        assertThat(e.get(3).tags()).containsEntry("model", "gemini-3.8-flash");
    }

    /** Gemini may fire AfterAgent before its chats file holds the answer: the flush waits for it, boundedly. */
    /** A turn whose AfterAgent arrived just now, and the chats file as Gemini wrote it in the end. */
    List<SpooledEvent> turnJustEnded() throws Exception {
        List<SpooledEvent> spooled = new ArrayList<>(spooled("02-BeforeAgent.json", "22-BeforeTool.json",
                "23-AfterTool.json"));
        spooled.add(new SpooledEvent(4, "now", System.currentTimeMillis(), payload("32-AfterAgent.json")));
        return spooled;
    }

    /** The chats file without its answer (the last lines are the answer and a $set); returns it whole. */
    List<String> withoutTheAnswer() throws Exception {
        Path chats = tmp.resolve(CHATS);
        List<String> lines = Files.readAllLines(chats);
        int answer = lines.size() - 2;
        assertThat(lines.get(answer)).contains("All done");
        Files.write(chats, lines.subList(0, answer));
        return lines;
    }

    @Test
    void aTurnThatJustEndedWaitsForTheChatsFileToHoldItsAnswer() throws Exception {
        List<SpooledEvent> spooled = turnJustEnded();
        Path chats = tmp.resolve(CHATS);
        List<String> lines = withoutTheAnswer();
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(300); // Gemini, writing late
                Files.write(chats, lines);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        long started = System.nanoTime();
        List<AgentEvent> e = new GeminiAdapter().normalize(spooled);
        writer.join();
        assertThat(e.get(3).output()).isEqualTo("All done: echo worked, exit 3 failed and the file was read.");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).isLessThan(GeminiAdapter.CHATS_WAIT);
    }

    @Test
    void anAnswerThatNeverComesCostsTheBoundAndLeavesTheGarbledTextOut() throws Exception {
        List<SpooledEvent> spooled = turnJustEnded();
        withoutTheAnswer();
        long started = System.nanoTime();
        List<AgentEvent> e = new GeminiAdapter().normalize(spooled);
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                .isBetween(GeminiAdapter.CHATS_WAIT, GeminiAdapter.CHATS_WAIT.plusSeconds(2));
        assertThat(e.get(3).output()).as("prompt_response repeats chunks: not shown").isNull();
    }

    @Test
    void usageCountsEachModelMessageOnceAndPutsItInThePromptsTurn() throws Exception {
        List<AgentEvent> e = new GeminiAdapter().normalize(spooled("01-SessionStart.json", "02-BeforeAgent.json",
                "32-AfterAgent.json"));
        EventTurns turns = ev -> ev.kind() == EventKind.PROMPT ? "pos:1" : null;
        List<ApiCall> calls = new GeminiUsage().read(e, turns, Map.of(), null, java.time.Duration.ZERO).calls();
        assertThat(calls).hasSize(4);
        assertThat(calls).extracting(ApiCall::turnId).containsOnly("pos:1");
        assertThat(calls.get(0).promptTokens()).isEqualTo(12219);
        assertThat(calls.get(0).completionTokens()).as("candidates + thoughts").isEqualTo(36 + 7);
        assertThat(calls.get(0).details()).containsEntry("cached_input_tokens", 9164L);
        assertThat(calls).extracting(ApiCall::key).doesNotHaveDuplicates();
    }
}
