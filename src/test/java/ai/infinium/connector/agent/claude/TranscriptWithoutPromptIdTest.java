package ai.infinium.connector.agent.claude;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.UsageRead;
import ai.infinium.connector.io.FileCursor;
import ai.infinium.connector.spool.TurnLedger;
import ai.infinium.connector.trace.TurnAssembler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transcript without {@code promptId} and hooks without {@code prompt_id}: responses are
 * attributed by the place of their prompt line among the prompts the hooks reported, and reading
 * stays incremental: each flush starts where the last one stopped, with the turn in force there.
 */
class TranscriptWithoutPromptIdTest {
    @TempDir Path tmp;
    Path transcript;
    int line;

    static String prompt(String text, String at) {
        return "{\"parentUuid\":null,\"isSidechain\":false,\"sessionId\":\"s\",\"version\":\"2.0.64\",\"type\":\"user\","
                + "\"message\":{\"role\":\"user\",\"content\":\"" + text + "\"},\"uuid\":\"u\",\"timestamp\":\"" + at + "\"}\n";
    }

    static String response(String id, int output, String at) {
        return "{\"parentUuid\":\"u\",\"isSidechain\":false,\"sessionId\":\"s\",\"message\":{\"model\":\"m\",\"id\":\"" + id
                + "\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"usage\":{\"input_tokens\":10,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":" + output
                + "}},\"requestId\":\"r-" + id + "\",\"type\":\"assistant\",\"timestamp\":\"" + at + "\"}\n";
    }

    static String toolResult(String at) {
        return "{\"parentUuid\":\"u\",\"isSidechain\":false,\"sessionId\":\"s\",\"type\":\"user\",\"message\":{\"role\":\"user\","
                + "\"content\":[{\"tool_use_id\":\"t1\",\"type\":\"tool_result\",\"content\":\"OLD-2\"}]},\"timestamp\":\""
                + at + "\",\"toolUseResult\":{\"stdout\":\"OLD-2\"}}\n";
    }

    AgentEvent userPrompt(String text) {
        line++;
        return AgentEvent.of(EventKind.PROMPT, line, "2026-11-30T10:00:00.000Z", line).session("s").input(text)
                .tag("transcript_path", transcript.toString()).build();
    }

    UsageRead read(TurnAssembler turns, List<AgentEvent> events, Map<String, FileCursor> from) {
        turns.addAll(events);
        return new ClaudeTranscriptUsage().read(events, turns::turnOf, from, null, Duration.ZERO);
    }

    static List<String> turnsOf(UsageRead r) {
        List<String> out = new ArrayList<>();
        for (ApiCall c : r.calls()) {
            out.add(c.key().substring(0, c.key().indexOf(':')) + "=" + c.turnId());
        }
        return out;
    }

    @Test
    void eachFlushReadsOnFromTheLastOneWithTheTurnInForceThere() throws Exception {
        transcript = tmp.resolve("s.jsonl");
        String turn1 = prompt("OLD-1 list files", "2026-11-30T10:00:01.000Z") + response("m1", 5, "2026-11-30T10:00:02.000Z")
                + toolResult("2026-11-30T10:00:03.000Z") + response("m2", 7, "2026-11-30T10:00:04.000Z");
        String turn2 = prompt("OLD-2 now count them", "2026-11-30T10:01:00.000Z")
                + response("m3", 9, "2026-11-30T10:01:01.000Z");
        Files.writeString(transcript, turn1 + turn2, StandardCharsets.UTF_8);

        // the Stop of turn 1: the transcript already holds the second prompt, whose hook has not come yet
        TurnAssembler first = new TurnAssembler(TurnLedger.EMPTY);
        UsageRead r1 = read(first, List.of(userPrompt("OLD-1 list files")), Map.of());
        assertThat(turnsOf(r1)).as("the tool result naming OLD-2 is no prompt").containsExactly("m1=pos:1", "m2=pos:1");
        Map<String, FileCursor> cursors = r1.resume(k -> true, first::knows);
        FileCursor cursor = cursors.get(transcript.toString());
        assertThat(cursor.offset()).as("read again from the prompt line the hooks had not reported")
                .isEqualTo(turn1.getBytes(StandardCharsets.UTF_8).length);
        assertThat(cursor.carry()).containsEntry(TranscriptScan.PROMPT, "pos:1");

        // the Stop of turn 2: only what is new is read, and lined up with the new prompt
        TurnAssembler second = new TurnAssembler(first.ledger());
        UsageRead r2 = read(second, List.of(userPrompt("OLD-2 now count them")), cursors);
        assertThat(turnsOf(r2)).containsExactly("m3=pos:2");
        assertThat(r2.problems()).isEmpty();
    }

    static TranscriptLine userLine(String content, boolean meta) {
        String json = "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":" + content + "}"
                + (meta ? ",\"isMeta\":true" : "") + "}";
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return TranscriptLine.parse(ai.infinium.connector.spool.LargeJson.factory(), b, 0, b.length,
                TranscriptLine.Want.PROMPT_TEXT);
    }

    PromptOrder order(String... prompts) {
        transcript = tmp.resolve("o.jsonl");
        List<AgentEvent> events = new ArrayList<>();
        for (String p : prompts) {
            events.add(userPrompt(p));
        }
        TurnAssembler turns = new TurnAssembler(TurnLedger.EMPTY).addAll(events);
        return PromptOrder.of(events, turns::turnOf, null);
    }

    @Test
    void aSlashCommandIsMatchedAsTypedAndItsExpansionIsNoPrompt() {
        PromptOrder o = order("first", "/fix-test tests/a.js");
        assertThat(o.turnOpenedBy(userLine("\"first\"", false), null)).isEqualTo(LineTurn.of("pos:1"));
        TranscriptLine command = userLine("\"<command-message>fix-test is running…</command-message>\\n"
                + "<command-name>/fix-test</command-name>\\n<command-args>tests/a.js</command-args>\"", false);
        assertThat(PromptOrder.isPrompt(command)).isTrue();
        assertThat(o.turnOpenedBy(command, "pos:1")).isEqualTo(LineTurn.of("pos:2"));
        assertThat(PromptOrder.isPrompt(userLine("[{\"type\":\"text\",\"text\":\"Fix the test.\"}]", true))).isFalse();
        assertThat(PromptOrder.isPrompt(userLine("\"<local-command-stdout>$0.04</local-command-stdout>\"", false)))
                .isFalse();
    }

    @Test
    void aLineNoHookReportedShiftsNoLaterPrompt() {
        PromptOrder o = order("first", "second");
        assertThat(o.turnOpenedBy(userLine("\"first\"", false), null).turnId()).isEqualTo("pos:1");
        // a local command the hooks never saw: tentatively the next prompt's, which stays to be taken
        assertThat(o.turnOpenedBy(userLine("\"<command-name>/cost</command-name>\"", false), "pos:1").turnId())
                .isEqualTo("pos:2");
        assertThat(o.turnOpenedBy(userLine("\"second\"", false), "pos:2").turnId()).isEqualTo("pos:2");
        assertThat(o.turnOpenedBy(userLine("\"a third, not reported yet\"", false), "pos:2"))
                .isEqualTo(LineTurn.AHEAD);
    }

    @Test
    void beforeAnyPromptOfTheSessionALineOpensNoTurn() {
        PromptOrder o = order("resumed here");
        assertThat(o.turnOpenedBy(userLine("\"an earlier run's prompt\"", false), null)).isEqualTo(LineTurn.of(null));
        assertThat(o.turnOpenedBy(userLine("\"resumed  here\\n\"", false), null)).as("white space folded")
                .isEqualTo(LineTurn.of("pos:1"));
    }
}
