package ai.infinium.connector.agent.codex;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodexAdapterTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static SpooledEvent spooled(int line, String json) throws Exception {
        return new SpooledEvent(line, "2026-11-21T10:00:00.000Z", 1_795_000_000_000L + line, JSON.readTree(json));
    }

    static AgentEvent postToolUse(String response) throws Exception {
        String e = "{\"session_id\":\"s\",\"turn_id\":\"t1\",\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Bash\","
                + "\"tool_input\":{\"command\":\"npm test\"},\"tool_use_id\":\"call_1\",\"tool_response\":" + response + "}";
        return new CodexAdapter().normalize(List.of(spooled(1, e))).get(0);
    }

    @Test
    void theSeedsBooleanToolResponseBecomesSucceededOrFailed() throws Exception {
        AgentEvent ok = postToolUse("true");
        assertThat(ok.kind()).isEqualTo(EventKind.TOOL_END);
        assertThat(ok.output()).isEqualTo("Command succeeded");
        assertThat(ok.error()).isNull();
        assertThat(ok.input()).isEqualTo("npm test");

        AgentEvent failed = postToolUse("false");
        assertThat(failed.output()).isEqualTo("Command failed");
        assertThat(failed.errorType()).isEqualTo("ToolError");
        assertThat(failed.error()).isEqualTo("Command failed");
    }

    @Test
    void anOutputStringWithoutARolloutIsPlainOutput() throws Exception {
        AgentEvent e = postToolUse("\"3 passed\\n\"");
        assertThat(e.output()).isEqualTo("3 passed");
        assertThat(e.error()).isNull();
    }

    /** A command that outlived its call: the exit code its end event gave, on the call's own step. */
    @Test
    void aLongRunningCommandFailsWithTheExitCodeItsEndEventGives(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        java.nio.file.Path rollout = tmp.resolve("rollout.jsonl");
        java.nio.file.Files.writeString(rollout, CodexExitCodesTest.call("exec_command", "call_1", "{\"cmd\":\"npm test\"}")
                + CodexExitCodesTest.output("call_1", "Process running with session ID 1234")
                + CodexExitCodesTest.end("call_1", 1));
        String e = "{\"session_id\":\"s\",\"turn_id\":\"t1\",\"hook_event_name\":\"PostToolUse\",\"tool_name\":\"Bash\","
                + "\"transcript_path\":\"" + rollout + "\",\"tool_input\":{\"command\":\"npm test\"},"
                + "\"tool_use_id\":\"call_1\",\"tool_response\":\"> jest\\n\"}";
        AgentEvent failed = new CodexAdapter().normalize(List.of(spooled(1, e))).get(0);
        assertThat(failed.errorType()).isEqualTo("ToolError");
        assertThat(failed.error()).isEqualTo("Command failed with exit code 1");
        assertThat(failed.tags()).containsEntry("exit_code", "1");
        assertThat(failed.output()).isEqualTo("> jest");
    }

    @Test
    void subagentEventsBelongToTheTurnThatSpawnedThem() throws Exception {
        List<AgentEvent> events = new CodexAdapter().normalize(List.of(
                spooled(1, "{\"session_id\":\"s\",\"turn_id\":\"parent\",\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"go\"}"),
                spooled(2, "{\"session_id\":\"s\",\"turn_id\":\"child\",\"agent_id\":\"a1\",\"agent_type\":\"default\","
                        + "\"hook_event_name\":\"UserPromptSubmit\",\"prompt\":\"sub task\"}"),
                spooled(3, "{\"session_id\":\"s\",\"turn_id\":\"child\",\"agent_id\":\"a1\",\"hook_event_name\":\"Stop\"}")));
        assertThat(events).extracting(AgentEvent::turnId).containsExactly("parent", "parent", "parent");
        assertThat(events).extracting(AgentEvent::kind).containsExactly(EventKind.PROMPT, EventKind.OTHER, EventKind.OTHER);
    }

    @Test
    void aFailedModelRequestEndsTheTurnWithTheProvidersMessage() throws Exception {
        AgentEvent e = new CodexAdapter().normalize(List.of(spooled(1, "{\"session_id\":\"s\",\"turn_id\":\"t\","
                + "\"hook_event_name\":\"PostModelRequest\",\"status\":\"failed\",\"error\":\"{\\\"error\\\": "
                + "{\\\"message\\\": \\\"quota exceeded\\\"}}\",\"token_usage\":null}"))).get(0);
        assertThat(e.kind()).isEqualTo(EventKind.TURN_FAILURE);
        assertThat(e.error()).isEqualTo("The model request failed: quota exceeded");
    }
}
