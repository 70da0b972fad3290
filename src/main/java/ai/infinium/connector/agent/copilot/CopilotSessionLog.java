package ai.infinium.connector.agent.copilot;

import ai.infinium.connector.agent.BoundedPoll;
import ai.infinium.connector.io.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Copilot CLI's own session log ({@code session-state/<id>/events.jsonl}) adds to the hook
 * payloads: one {@code session.usage_record} per model response, the exit code of each shell
 * call and the turn's final text. Hook payloads and the log share one key, the payload's
 * {@code timestamp}, which the log repeats in each {@code hook.start}'s {@code data.input}: a
 * prompt's timestamp names the turn the records after it belong to, a postToolUse's the call.
 */
final class CopilotSessionLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One model response; {@code promptAt} is the timestamp of the prompt it answered, -1 when the log has none before it. */
    record Usage(String key, long promptAt, String model, String provider, long input, long output, long cacheRead,
            long cacheWrite) {}

    final List<Usage> usage = new ArrayList<>();
    /** The turn's last non-empty assistant message, by its prompt's timestamp. */
    final Map<Long, String> finalText = new HashMap<>();
    /** A shell call's exit code, by its postToolUse payload's timestamp. */
    final Map<Long, Integer> exitCodes = new HashMap<>();
    final Set<Long> hookStarts = new HashSet<>();
    String model;

    private CopilotSessionLog() {}

    /** A tool call started and not yet claimed by a postToolUse hook. */
    private record Started(String callId, String tool, JsonNode args) {}

    /** The log as it is now; an unreadable or missing one is empty (a trace then lacks usage, never fails). */
    static CopilotSessionLog read(Path file) {
        CopilotSessionLog log = new CopilotSessionLog();
        if (file == null || !Files.isRegularFile(file)) {
            return log;
        }
        List<Started> open = new ArrayList<>();
        Map<Long, String> callOfPost = new HashMap<>();
        Map<String, Integer> exitOfCall = new HashMap<>();
        long[] prompt = {-1};
        try {
            JsonLines.scan(file, 0, 0, (buf, off, len, start, lineNo, terminated) -> {
                if (!terminated) {
                    return false; // being written: the next read gets it whole
                }
                JsonNode n;
                try {
                    n = JSON.readTree(buf, off, len);
                } catch (IOException damaged) {
                    return true;
                }
                if (n != null) {
                    log.take(n, prompt, open, callOfPost, exitOfCall);
                }
                return true;
            });
        } catch (IOException e) {
            return log;
        }
        callOfPost.forEach((at, call) -> {
            Integer code = exitOfCall.get(call);
            if (code != null) {
                log.exitCodes.put(at, code);
            }
        });
        return log;
    }

    /**
     * The log once it holds the {@code hook.start} of the hook fired at {@code hookAt}: Copilot
     * writes it asynchronously, and everything of a turn precedes its agentStop's hook.start.
     * Waits at most {@code max}; then it is read as it is.
     */
    static CopilotSessionLog await(Path file, long hookAt, Duration max) {
        CopilotSessionLog[] log = {read(file)};
        BoundedPoll.REAL.until(() -> {
            if (!log[0].hookStarts.contains(hookAt)) {
                log[0] = read(file);
            }
            return log[0].hookStarts.contains(hookAt);
        }, max);
        return log[0];
    }

    private void take(JsonNode n, long[] prompt, List<Started> open, Map<Long, String> callOfPost,
            Map<String, Integer> exitOfCall) {
        JsonNode d = n.path("data");
        switch (n.path("type").asText()) {
            case "session.start":
            case "session.resume":
                if (d.path("selectedModel").isTextual()) {
                    model = d.get("selectedModel").asText();
                }
                break;
            case "hook.start": {
                JsonNode input = d.path("input");
                if (!input.path("timestamp").isNumber()) {
                    break;
                }
                long at = input.get("timestamp").asLong();
                hookStarts.add(at);
                String hook = d.path("hookType").asText();
                if (CopilotEvent.USER_PROMPT_SUBMITTED.hookName().equals(hook)) {
                    prompt[0] = at;
                } else if (CopilotEvent.POST_TOOL_USE.hookName().equals(hook)
                        || CopilotEvent.POST_TOOL_USE_FAILURE.hookName().equals(hook)) {
                    claim(open, input, at, callOfPost);
                }
                break;
            }
            case "tool.execution_start":
                open.add(new Started(d.path("toolCallId").asText(), d.path("toolName").asText(), d.path("arguments")));
                break;
            case "tool.execution_complete":
                if (d.path("shellExecution").path("exitCode").isNumber()) {
                    exitOfCall.put(d.path("toolCallId").asText(), d.get("shellExecution").get("exitCode").asInt());
                }
                break;
            case "assistant.message": {
                String content = d.path("content").asText("");
                if (!content.isBlank() && prompt[0] >= 0) {
                    finalText.put(prompt[0], content);
                }
                break;
            }
            case "session.usage_record": {
                JsonNode u = d.path("usage");
                usage.add(new Usage(n.path("id").asText(null), prompt[0], u.path("model").asText(null),
                        u.path("providerType").asText(null), u.path("inputTokens").asLong(),
                        u.path("outputTokens").asLong(), u.path("cacheReadTokens").asLong(),
                        u.path("cacheWriteTokens").asLong()));
                break;
            }
            default:
                break;
        }
    }

    /** The first open call of the same tool with the same arguments is the one this postToolUse reports. */
    private static void claim(List<Started> open, JsonNode input, long at, Map<Long, String> callOfPost) {
        String tool = input.path("toolName").asText();
        JsonNode args = input.path("toolArgs");
        for (Iterator<Started> it = open.iterator(); it.hasNext(); ) {
            Started s = it.next();
            if (s.tool().equals(tool) && s.args().equals(args)) {
                callOfPost.put(at, s.callId());
                it.remove();
                return;
            }
        }
    }
}
