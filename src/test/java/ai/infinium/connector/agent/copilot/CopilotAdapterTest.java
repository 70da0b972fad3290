package ai.infinium.connector.agent.copilot;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pairing without call ids, and the session log read from the captured 1.0.102 log. */
class CopilotAdapterTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long AGENT_STOP_AT = 1796110166678L;
    @TempDir Path tmp;

    static SpooledEvent event(int line, String name, String json) throws Exception {
        ObjectNode n = (ObjectNode) JSON.readTree(json);
        n.put("hook_event_name", name).put("sessionId", "s-1").put("cwd", "/p");
        return new SpooledEvent(line, "2026-12-01T07:29:2" + line + ".000Z", 1_796_110_160_000L + line, n);
    }

    @Test
    void callsRunningAtOnceEachPairWithTheirOwnStartByToolAndArguments() throws Exception {
        List<SpooledEvent> spool = List.of(
                event(1, "userPromptSubmitted", "{\"timestamp\":10,\"prompt\":\"go\"}"),
                event(2, "preToolUse", "{\"timestamp\":11,\"toolName\":\"bash\",\"toolArgs\":{\"command\":\"sleep 1\"}}"),
                event(3, "preToolUse", "{\"timestamp\":12,\"toolName\":\"bash\",\"toolArgs\":{\"command\":\"true\"}}"),
                event(4, "postToolUse", "{\"timestamp\":13,\"toolName\":\"bash\",\"toolArgs\":{\"command\":\"true\"},"
                        + "\"toolResult\":{\"resultType\":\"success\",\"textResultForLlm\":\"<shellId: 1 completed with exit code 0>\"}}"),
                event(5, "postToolUse", "{\"timestamp\":14,\"toolName\":\"bash\",\"toolArgs\":{\"command\":\"sleep 1\"},"
                        + "\"toolResult\":{\"resultType\":\"success\",\"textResultForLlm\":\"<shellId: 0 completed with exit code 4>\"}}"));
        List<AgentEvent> out = new CopilotAdapter().normalize(spool);
        assertThat(out).extracting(AgentEvent::kind).containsExactly(EventKind.PROMPT, EventKind.TOOL_START,
                EventKind.TOOL_START, EventKind.TOOL_END, EventKind.TOOL_END);
        assertThat(out.get(3).toolUseId()).isEqualTo(out.get(2).toolUseId());
        assertThat(out.get(4).toolUseId()).isEqualTo(out.get(1).toolUseId()).isNotEqualTo(out.get(2).toolUseId());
        assertThat(out.get(4).tags()).containsEntry("exit_code", "4");
        assertThat(out.get(3).error()).isNull();
        assertThat(out).allMatch(e -> CopilotAdapter.turnId(10).equals(e.turnId()));
    }

    /** A 500 is retried: errorOccurred each time. Only sessionEnd "error" with no agentStop ends the turn, failed. */
    @Test
    void onlyASessionEndInErrorWithNoAgentStopFailsTheTurn() throws Exception {
        String error = "{\"timestamp\":%d,\"errorContext\":\"model_call\",\"recoverable\":true,"
                + "\"error\":{\"message\":\"{\\\"message\\\":\\\"overloaded\\\"}\",\"name\":\"Error\"}}";
        List<AgentEvent> failed = new CopilotAdapter().normalize(List.of(
                event(1, "userPromptSubmitted", "{\"timestamp\":10,\"prompt\":\"go\"}"),
                event(2, "errorOccurred", String.format(error, 11)),
                event(3, "errorOccurred", String.format(error, 12)),
                event(4, "sessionEnd", "{\"timestamp\":13,\"reason\":\"error\"}")));
        assertThat(failed).extracting(AgentEvent::kind).containsExactly(EventKind.PROMPT, EventKind.OTHER, EventKind.OTHER,
                EventKind.TURN_FAILURE);
        assertThat(failed.get(3).error()).isEqualTo("The model request failed: overloaded");

        List<AgentEvent> done = new CopilotAdapter().normalize(List.of(
                event(1, "userPromptSubmitted", "{\"timestamp\":10,\"prompt\":\"go\"}"),
                event(2, "agentStop", "{\"timestamp\":11,\"stopReason\":\"end_turn\"}"),
                event(3, "sessionEnd", "{\"timestamp\":12,\"reason\":\"error\"}"),
                event(4, "sessionEnd", "{\"timestamp\":13,\"reason\":\"complete\"}")));
        assertThat(done).extracting(AgentEvent::kind).containsExactly(EventKind.PROMPT, EventKind.TURN_END,
                EventKind.SESSION_END, EventKind.SESSION_END);
    }

    Path capturedLog() throws Exception {
        Path p = tmp.resolve("events.jsonl");
        try (var in = getClass().getResourceAsStream("/fixtures/copilot-1.0.102/01-main/events.jsonl")) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    @Test
    void theLogGivesEachResponseItsTurnAndEachShellCallItsExitCode() throws Exception {
        CopilotSessionLog log = CopilotSessionLog.read(capturedLog());
        long prompt = 1796110164999L;
        assertThat(log.usage).hasSize(4).allMatch(u -> u.promptAt() == prompt && "openai".equals(u.provider()));
        assertThat(log.usage).extracting(CopilotSessionLog.Usage::output).containsExactly(116L, 70L, 61L, 65L);
        assertThat(log.exitCodes).isEqualTo(Map.of(1796110165884L, 0, 1796110166374L, 3));
        assertThat(log.finalText).isEqualTo(Map.of(prompt, "All done: echo worked, exit 3 failed and the file was read."));
        assertThat(log.model).isEqualTo("gpt-4.1");
    }

    /** Copilot writes its log behind the hooks: the reader waits (boundedly) for the agentStop's own record. */
    @Test
    void aLogStillBeingWrittenIsReadOnceItHoldsTheAgentStop() throws Exception {
        List<String> lines = Files.readAllLines(capturedLog(), StandardCharsets.UTF_8);
        int lastUsage = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("\"session.usage_record\"")) {
                lastUsage = i;
            }
        }
        Path log = tmp.resolve("writing.jsonl");
        Files.write(log, lines.subList(0, lastUsage));
        assertThat(CopilotSessionLog.read(log).usage).as("as the flush may first find it").hasSize(3);
        List<String> rest = new ArrayList<>(lines.subList(lastUsage, lines.size()));
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(300); // Copilot's writer, behind
                Files.write(log, rest, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        CopilotSessionLog read = CopilotSessionLog.await(log, AGENT_STOP_AT, Duration.ofSeconds(10));
        writer.join();
        assertThat(read.usage).hasSize(4);
        assertThat(read.hookStarts).contains(AGENT_STOP_AT);
    }

    @Test
    void aLogThatNeverGetsThereIsReadAsItIsAfterTheBound() throws Exception {
        Path log = tmp.resolve("stuck.jsonl");
        Files.write(log, Files.readAllLines(capturedLog()).subList(0, 10));
        long t0 = System.nanoTime();
        CopilotSessionLog read = CopilotSessionLog.await(log, AGENT_STOP_AT, Duration.ofMillis(300));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
        assertThat(read.hookStarts).doesNotContain(AGENT_STOP_AT);
    }
}
