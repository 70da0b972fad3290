package ai.infinium.connector.agent.claude;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What recovery relies on, checked against real Claude Code 2.1.330 captures: every tool call a
 * hook reported is in the transcript under the same id, name, input and turn, with the result
 * the hook saw; every subagent a hook reported is there with its type, turn and last answer.
 */
class ClaudeTranscriptTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    RecordedSession session;
    final List<JsonNode> payloads = new ArrayList<>();

    ClaudeTranscript read(String scenario) throws IOException {
        session = Fixtures.claudeCode(tmp, scenario);
        for (String f : session.eventFiles()) {
            payloads.add(JSON.readTree(session.payload(f, null)));
        }
        Path main = Path.of(payloads.get(0).get("transcript_path").asText());
        try (Stream<Path> files = Files.walk(tmp.resolve("claude"))) {
            return ClaudeTranscript.read(main,
                    files.filter(p -> p.getFileName().toString().startsWith("agent-")).sorted().toList());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"02-main", "03-continue", "04-parallel", "11-foreground-subagent"})
    void everyHookReportIsInTheTranscript(String scenario) throws IOException {
        ClaudeTranscript t = read(scenario);

        int checked = 0;
        for (JsonNode e : payloads) {
            String event = e.path("hook_event_name").asText();
            if (e.has("tool_use_id")) {
                TranscriptToolCall c = t.call(e.get("tool_use_id").asText());
                assertThat(c).as("%s %s in the transcript", event, e.get("tool_use_id")).isNotNull();
                assertThat(c.name()).isEqualTo(e.get("tool_name").asText());
                assertThat(c.input()).isEqualTo(e.get("tool_input"));
                assertThat(c.turnId()).as("promptId = prompt_id").isEqualTo(e.get("prompt_id").asText());
                assertThat(c.agentId()).isEqualTo(e.path("agent_id").asText(null));
                if (event.equals("PostToolUse") && e.has("agent_id")) {
                    // A subagent's transcript keeps only what the model read of the result.
                    assertThat(c.result().toolUseResult()).isNull();
                    assertThat(c.result().text()).isEqualTo(e.get("tool_response").get("stdout").asText());
                } else if (event.equals("PostToolUse")) {
                    assertThat(c.result().toolUseResult()).as("toolUseResult = tool_response")
                            .isEqualTo(e.get("tool_response"));
                    assertThat(c.result().isError()).isFalse();
                } else if (event.equals("PostToolUseFailure")) {
                    assertThat(c.result().isError()).isTrue();
                    assertThat(c.result().text()).as("tool_result text = error").isEqualTo(e.get("error").asText());
                }
                checked++;
            } else if (event.startsWith("Subagent")) {
                TranscriptSubagent a = t.subagent(e.get("agent_id").asText());
                assertThat(a).as("%s %s", event, e.get("agent_id")).isNotNull();
                assertThat(a.agentType()).isEqualTo(e.get("agent_type").asText());
                assertThat(a.turnId()).isEqualTo(e.get("prompt_id").asText());
                assertThat(t.spawnOf(a)).as("the Agent call that started it").isNotNull();
                if (event.equals("SubagentStop")) {
                    assertThat(a.finalMessage()).isEqualTo(e.get("last_assistant_message").asText());
                    assertThat(Path.of(e.get("agent_transcript_path").asText())).isEqualTo(a.transcript());
                }
                checked++;
            } else if (event.equals("Stop")) {
                assertThat(t.turnWritten(e.get("prompt_id").asText(), null)).as("turn of %s written", event).isTrue();
                assertThat(t.turnWritten(e.get("prompt_id").asText(), e.get("last_assistant_message").asText()))
                        .isTrue();
            }
        }
        assertThat(checked).isPositive();
    }

    /**
     * Why a call with a written result is safe to rebuild: its hooks had all reached the capture
     * before Claude Code stamped the result line. And a subagent's SubagentStop had arrived
     * before the call that waited for it returned.
     */
    @ParameterizedTest
    @ValueSource(strings = {"02-main", "03-continue", "04-parallel", "11-foreground-subagent"})
    void aCallsHooksArriveBeforeItsResultIsWritten(String scenario) throws IOException {
        ClaudeTranscript t = read(scenario);
        List<String> arrivals = new ArrayList<>(Fixtures.claudeArrivals(scenario).values());
        int checked = 0;
        for (int i = 0; i < payloads.size(); i++) {
            JsonNode e = payloads.get(i);
            Instant arrived = Instant.parse(arrivals.get(i));
            TranscriptToolCall c = t.call(e.path("tool_use_id").asText(null));
            if (c != null) {
                assertThat(arrived).as("%s of %s", e.get("hook_event_name"), c.id())
                        .isBefore(Instant.parse(c.result().at()));
                checked++;
            }
            TranscriptSubagent a = "SubagentStop".equals(e.path("hook_event_name").asText())
                    ? t.subagent(e.get("agent_id").asText()) : null;
            TranscriptToolCall spawn = a == null ? null : t.spawnOf(a);
            if (spawn != null && !spawn.result().launchedInBackground()) {
                assertThat(arrived).as("SubagentStop of %s", a.agentId()).isBefore(Instant.parse(spawn.result().at()));
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }
}
