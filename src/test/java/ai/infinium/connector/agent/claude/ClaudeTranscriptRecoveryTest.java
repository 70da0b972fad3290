package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.BoundedPoll;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.io.FileCursor;
import ai.infinium.connector.spool.SpoolReader;
import ai.infinium.connector.spool.SpooledEvent;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.testing.TimedClaudeReplay;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery decisions on captured sessions, without the flush around them: waiting for a
 * transcript that lags behind the Stop, and leaving alone what may still be on its way.
 */
class ClaudeTranscriptRecoveryTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PARALLEL_TRANSCRIPT =
            "projects/-tmp-harness-claude-proj/a5fa86a9-0b94-429b-8a50-3701b0c4ba7d.jsonl";
    static final String ECHO_ONE = "toolu_cc724486cc81406799a32d40";

    @TempDir Path tmp;

    /** A fake clock that a pause moves on, so a bounded wait is exercised without sleeping. */
    static final class FakeTime {
        long nanos;
        int pauses;
        Runnable onPause = () -> { };

        BoundedPoll poll() {
            return new BoundedPoll(() -> nanos, d -> {
                pauses++;
                nanos += d.toNanos();
                onPause.run();
            });
        }
    }

    TimedClaudeReplay delivered(String scenario, Set<String> files) throws IOException {
        Path project = Files.createDirectories(tmp.resolve("p"));
        TimedClaudeReplay r = new TimedClaudeReplay(new TestEnv(tmp), scenario, project);
        for (Map.Entry<String, String> e : r.arrivals().entrySet()) {
            if (files.contains(e.getKey())) {
                r.deliver(e.getKey(), e.getValue());
            }
        }
        return r;
    }

    /** The whole spool, as the recovery's callers once read it. */
    static List<SpooledEvent> spooled(Path spool) throws IOException {
        List<SpooledEvent> out = new ArrayList<>();
        SpoolReader.read(spool, FileCursor.START, Set.of(), out::add);
        return out;
    }

    static List<JsonNode> events(List<byte[]> lines) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (byte[] l : lines) {
            JsonNode n = JSON.readTree(l);
            assertThat(n.path("recovered").asText()).isEqualTo("transcript");
            out.add(n.get("event"));
        }
        return out;
    }

    /** Cuts the transcript before the line holding {@code marker}; returns what was cut. */
    String cutTranscriptBefore(String marker) throws IOException {
        Path p = tmp.resolve("claude").resolve(PARALLEL_TRANSCRIPT);
        String all = Files.readString(p, StandardCharsets.UTF_8);
        int at = all.lastIndexOf('\n', all.indexOf(marker)) + 1;
        Files.writeString(p, all.substring(0, at), StandardCharsets.UTF_8);
        return all.substring(at);
    }

    void appendTranscript(String rest) {
        try {
            Files.writeString(tmp.resolve("claude").resolve(PARALLEL_TRANSCRIPT), rest, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** 04-parallel with the PostToolUse of "echo one" lost; Stop recorded. */
    TimedClaudeReplay parallelWithoutPostOfOne() throws IOException {
        return delivered("04-parallel", Set.of("01-SessionStart.json", "03-UserPromptSubmit.json", "04-PreToolUse.json",
                "05-PreToolUse.json", "07-PostToolUse.json", "10-Stop.json"));
    }

    @Test
    void aStopAheadOfTheTranscriptWaitsForTheLastToolResult() throws IOException {
        TimedClaudeReplay r = parallelWithoutPostOfOne();
        String rest = cutTranscriptBefore("\"tool_use_id\":\"" + ECHO_ONE + "\"");
        FakeTime time = new FakeTime();
        time.onPause = () -> {
            if (time.pauses == 1) {
                appendTranscript(rest); // Claude Code catches up while the flush waits
            }
        };

        List<JsonNode> got = events(new ClaudeTranscriptRecovery(time.poll(), Duration.ofSeconds(3))
                .recover(spooled(r.spool()), false));

        assertThat(time.pauses).as("read again once the transcript had grown").isEqualTo(1);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).path("hook_event_name").asText()).isEqualTo("PostToolUse");
        assertThat(got.get(0).path("tool_use_id").asText()).isEqualTo(ECHO_ONE);
        assertThat(got.get(0).path("tool_response").path("stdout").asText()).isEqualTo("one");
    }

    @Test
    void aTranscriptThatNeverCatchesUpIsWaitedForBoundedlyAndRecoveredLater() throws IOException {
        TimedClaudeReplay r = parallelWithoutPostOfOne();
        String rest = cutTranscriptBefore("\"tool_use_id\":\"" + ECHO_ONE + "\"");
        FakeTime time = new FakeTime();
        ClaudeTranscriptRecovery recovery = new ClaudeTranscriptRecovery(time.poll(), Duration.ofSeconds(3));

        List<byte[]> first = recovery.recover(spooled(r.spool()), false);

        assertThat(time.pauses).as("3 s of 50 ms pauses, then give up").isEqualTo(60);
        assertThat(first).as("no result written: nothing to rebuild (its PreToolUse arrived)").isEmpty();
        appendTranscript(rest);
        List<JsonNode> later = events(recovery.recover(spooled(r.spool()), false));
        assertThat(later).extracting(e -> e.path("tool_use_id").asText()).containsExactly(ECHO_ONE);
    }

    @Test
    void aTurnStillRunningIsLeftAloneAndCallsCutShortAtSessionEndShowAsStarted() throws IOException {
        // Only the prompt arrived; the transcript has both calls, neither has returned.
        TimedClaudeReplay r = delivered("04-parallel", Set.of("01-SessionStart.json", "03-UserPromptSubmit.json"));
        cutTranscriptBefore("\"tool_use_id\":\"" + ECHO_ONE + "\"");
        FakeTime time = new FakeTime();
        ClaudeTranscriptRecovery recovery = new ClaudeTranscriptRecovery(time.poll(), Duration.ofSeconds(3));

        assertThat(recovery.recover(spooled(r.spool()), false)).as("its hooks may still come").isEmpty();
        List<JsonNode> atEnd = events(recovery.recover(spooled(r.spool()), true));
        assertThat(atEnd).extracting(e -> e.path("hook_event_name").asText() + " " + e.at("/tool_input/command").asText())
                .containsExactly("PreToolUse echo one", "PreToolUse echo two");
        assertThat(time.pauses).as("no Stop: nothing to wait for").isZero();
    }

    @Test
    void aBackgroundSubagentsStopWaitsUntilTheSessionIsToldItFinished() throws IOException {
        // 02-main up to its first Stop, with every subagent hook lost; the transcripts are complete.
        Set<String> first = Set.of("01-SessionStart.json", "03-UserPromptSubmit.json", "05-PreToolUse.json",
                "06-PostToolUse.json", "08-PreToolUse.json", "09-PostToolUseFailure.json", "11-PreToolUse.json",
                "12-PostToolUseFailure.json", "14-PreToolUse.json", "16-PostToolUse.json", "22-Stop.json");
        TimedClaudeReplay r = delivered("02-main", first);
        ClaudeTranscriptRecovery recovery = new ClaudeTranscriptRecovery(new FakeTime().poll(), Duration.ofSeconds(3));

        List<JsonNode> atStop = events(recovery.recover(spooled(r.spool()), false));
        assertThat(atStop).extracting(e -> e.path("hook_event_name").asText())
                .as("its start and its finished call, not its stop: that hook may be on its way")
                .containsExactly("SubagentStart", "PreToolUse", "PostToolUse");

        r.deliver("24-UserPromptSubmit.json", "2026-11-21T23:59:55.956Z"); // the <task-notification> prompt
        List<JsonNode> afterNotice = events(recovery.recover(spooled(r.spool()), false));
        assertThat(afterNotice).extracting(e -> e.path("hook_event_name").asText()).contains("SubagentStop");
        JsonNode stop = afterNotice.stream().filter(e -> e.path("hook_event_name").asText().equals("SubagentStop"))
                .findFirst().orElseThrow();
        assertThat(stop.path("last_assistant_message").asText()).isEqualTo("Subagent result: from-subagent");
        assertThat(stop.path("prompt_id").asText()).as("the turn that started it")
                .isEqualTo("fab966ef-f37d-4d41-9303-fa7d131cc9a0");
    }
}
