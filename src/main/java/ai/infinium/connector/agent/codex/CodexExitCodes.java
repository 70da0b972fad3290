package ai.infinium.connector.agent.codex;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The exit code of each shell call, as a rollout records it: the command's end event first
 * ({@code exec_command_end}, Codex 0.125 on; an {@code item_completed} CommandExecution in 0.169),
 * else the output text the model read ({@code Process exited with code N}). A command that is
 * still running when its call returns ({@code Process running with session ID N}) exits under
 * another call's id: the {@code write_stdin} call that polled that session and saw it end; its
 * end event still names the original call.
 */
final class CodexExitCodes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EXITED = Pattern.compile("Process exited with code (-?\\d+)");
    private static final Pattern RUNNING = Pattern.compile("Process running with session ID (\\d+)");

    private final Map<String, Integer> ended = new HashMap<>();
    private final Map<String, Integer> fromText = new HashMap<>();
    /** Of a command still running when its call returned: its session, and the call that started it. */
    private final Map<String, String> callOfSession = new HashMap<>();
    /** Of each write_stdin call: the session it polled. */
    private final Map<String, String> sessionOfPoll = new HashMap<>();

    /** Takes what one rollout line says; {@code payload} is the line's payload. */
    void line(String type, JsonNode payload) {
        String callId = payload.path("call_id").asText(null);
        switch (type) {
            case "exec_command_end":
                if (callId != null && payload.path("exit_code").isIntegralNumber()) {
                    ended.put(callId, payload.get("exit_code").asInt());
                }
                break;
            case "item_completed":
                JsonNode item = payload.path("item");
                if ("CommandExecution".equals(item.path("type").asText()) && item.path("exit_code").isIntegralNumber()
                        && item.hasNonNull("id")) {
                    ended.put(item.get("id").asText(), item.get("exit_code").asInt());
                }
                break;
            case "function_call":
                if ("write_stdin".equals(payload.path("name").asText()) && callId != null) {
                    String session = polledSession(payload.path("arguments").asText(""));
                    if (session != null) {
                        sessionOfPoll.put(callId, session);
                    }
                }
                break;
            case "function_call_output":
                output(callId, payload.path("output").asText(""));
                break;
            default:
                break;
        }
    }

    private void output(String callId, String text) {
        if (callId == null) {
            return;
        }
        String polled = sessionOfPoll.get(callId);
        Matcher exited = EXITED.matcher(text);
        if (exited.find()) {
            String call = polled == null ? callId : callOfSession.get(polled);
            if (call != null) {
                fromText.put(call, Integer.parseInt(exited.group(1)));
            }
        } else if (polled == null) {
            Matcher running = RUNNING.matcher(text);
            if (running.find()) {
                callOfSession.put(running.group(1), callId);
            }
        }
    }

    private static String polledSession(String arguments) {
        try {
            JsonNode id = JSON.readTree(arguments).path("session_id");
            return id.isMissingNode() || id.isNull() ? null : id.asText();
        } catch (IOException notJson) {
            return null;
        }
    }

    /** Every call's code: the end events', then the texts' for calls without one. */
    Map<String, Integer> byCall() {
        Map<String, Integer> all = new HashMap<>(fromText);
        all.putAll(ended);
        return all;
    }
}
