package ai.infinium.connector.agent.codex;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a rollout keeps a shell call's exit code: the command's end event first, the output text
 * second, and for a command still running when its call returned, the text of the write_stdin
 * call that saw it exit.
 */
class CodexExitCodesTest {
    @TempDir Path tmp;

    static String call(String name, String id, String args) {
        return "{\"type\":\"response_item\",\"payload\":{\"type\":\"function_call\",\"name\":\"" + name
                + "\",\"arguments\":\"" + args.replace("\"", "\\\"") + "\",\"call_id\":\"" + id + "\"}}\n";
    }

    static String output(String id, String status) {
        return "{\"type\":\"response_item\",\"payload\":{\"type\":\"function_call_output\",\"call_id\":\"" + id
                + "\",\"output\":\"Chunk ID: 1\\nWall time: 10.0 seconds\\n" + status + "\\nOutput:\\n\"}}\n";
    }

    static String end(String id, int code) {
        return "{\"type\":\"event_msg\",\"payload\":{\"type\":\"exec_command_end\",\"call_id\":\"" + id
                + "\",\"exit_code\":" + code + ",\"status\":\"" + (code == 0 ? "completed" : "failed") + "\"}}\n";
    }

    CodexRollout rollout(String lines) throws Exception {
        Path f = tmp.resolve("rollout.jsonl");
        Files.writeString(f, lines, StandardCharsets.UTF_8);
        return CodexRollout.read(f);
    }

    @Test
    void aCommandStillRunningWhenItsCallReturnedExitsInThePollThatSawItEnd() throws Exception {
        CodexRollout r = rollout(call("exec_command", "c1", "{\"cmd\":\"make\"}")
                + output("c1", "Process running with session ID 1234")
                + call("write_stdin", "p1", "{\"session_id\":1234,\"chars\":\"\"}")
                + output("p1", "Process running with session ID 1234")
                + call("write_stdin", "p2", "{\"session_id\":1234,\"chars\":\"\"}")
                + output("p2", "Process exited with code 2"));
        assertThat(r.exitCodes).containsEntry("c1", 2).doesNotContainKeys("p1", "p2");
    }

    @Test
    void theEndEventComesBeforeTheText() throws Exception {
        CodexRollout r = rollout(call("exec_command", "c1", "{\"cmd\":\"make\"}")
                + output("c1", "Process running with session ID 77")
                + end("c1", 1)
                + call("exec_command", "c2", "{\"cmd\":\"true\"}")
                + end("c2", 0)
                + output("c2", "Process exited with code 5"));
        assertThat(r.exitCodes).containsEntry("c1", 1).containsEntry("c2", 0);
    }

    @Test
    void aPollOfAnotherSessionTellsNothingOfThisCommand() throws Exception {
        CodexRollout r = rollout(call("exec_command", "c1", "{\"cmd\":\"make\"}")
                + output("c1", "Process running with session ID 1")
                + call("write_stdin", "p1", "{\"session_id\":2,\"chars\":\"\"}")
                + output("p1", "Process exited with code 3"));
        assertThat(r.exitCodes).isEmpty();
    }
}
