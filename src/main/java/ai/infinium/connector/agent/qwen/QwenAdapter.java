package ai.infinium.connector.agent.qwen;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ClaudeStylePayloads;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.agent.UsageSource;
import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Qwen Code's hook events (0.24.4) in the pipeline's terms. Its hooks are Claude Code's in shape
 * and name; what differs is read here: the UserPromptSubmit Qwen repeats with an empty prompt
 * after every tool batch (no new turn), a failed shell command's exit code (only as {@code Exit
 * Code: N} in PostToolUseFailure's text), its own tool names, and usage from the chat transcript.
 */
public final class QwenAdapter implements AgentAdapter {
    private static final Pattern EXIT_CODE = Pattern.compile("(?m)^Exit Code: (-?\\d+)");
    /** PostToolBatch is not installed, but a user's own settings may still send it: its copies are never read. */
    private static final Set<String> UNREAD = Set.of("tool_calls", "background_tasks", "crons");

    private final UsageSource usage = new QwenChatUsage();

    @Override
    public String name() {
        return Qwen.NAME;
    }

    @Override
    public String displayName() {
        return "Qwen Code";
    }

    @Override
    public String framework() {
        return "qwen-code";
    }

    @Override
    public int defaultInputPreview() {
        return 500;
    }

    @Override
    public UsageSource usage() {
        return usage;
    }

    @Override
    public HookInstaller installer(Path projectDir, Map<String, String> env, Path home) {
        return new QwenHookInstaller(projectDir, home);
    }

    @Override
    public String projectMarker() {
        return ".qwen";
    }

    /** Each payload says all it means on its own (its turn is its prompt_id): a flush reads only new spool lines. */
    @Override
    public boolean normalizesAlone() {
        return true;
    }

    @Override
    public Set<String> unreadFields() {
        return UNREAD;
    }

    @Override
    public List<QwenEvent> events() {
        return List.of(QwenEvent.values());
    }

    @Override
    public List<AgentEvent> normalize(List<SpooledEvent> spooled) {
        List<AgentEvent> out = new ArrayList<>(spooled.size());
        for (SpooledEvent s : spooled) {
            out.add(normalize(s));
        }
        return out;
    }

    @Override
    public List<byte[]> recover(List<AgentEvent> earlier, List<AgentEvent> read, boolean sessionOver) {
        return QwenApiErrors.turnEnds(earlier, read, sessionOver);
    }

    static AgentEvent normalize(SpooledEvent s) {
        JsonNode e = s.event();
        String eventName = s.text("hook_event_name");
        EventKind kind = kindOf(eventName, e);
        AgentEvent.Builder b = ClaudeStylePayloads.common(s, kind);
        if (ClaudeStylePayloads.lifecycle(s, kind, b)) {
            return b.build();
        }
        String tool = s.text("tool_name");
        JsonNode toolInput = e.get("tool_input");
        switch (kind) {
            case PROMPT:
                b.input(s.text("prompt"));
                break;
            case TOOL_START:
                b.toolUseId(callId(s)).name(tool).input(QwenToolText.input(toolInput))
                        .tag(AgentEvent.TOOL_DESCRIPTION, QwenToolText.description(toolInput));
                break;
            case TOOL_END:
                b.toolUseId(callId(s)).name(tool).input(QwenToolText.input(toolInput))
                        .tag(AgentEvent.TOOL_DESCRIPTION, QwenToolText.description(toolInput))
                        .output(QwenToolText.output(e.get("tool_response"))).durationMs(duration(e));
                break;
            case TOOL_FAILURE:
                failure(s, e, b, tool);
                break;
            case TURN_FAILURE:
                turnFailure(s, b);
                break;
            default:
                break;
        }
        return b.build();
    }

    /** Qwen's repeat of UserPromptSubmit after a tool batch carries {@code prompt: ""}: part of the turn, not a prompt. */
    static EventKind kindOf(String eventName, JsonNode e) {
        QwenEvent row = QwenEvent.named(eventName);
        if (row == null) {
            return EventKind.OTHER;
        }
        if (row == QwenEvent.USER_PROMPT_SUBMIT && e.path("prompt").isTextual() && e.get("prompt").asText().isBlank()) {
            return EventKind.OTHER;
        }
        return row.kind();
    }

    /** The API's call id ({@code call_…}), which the transcript's functionCall parts use too; else Qwen's own. */
    private static String callId(SpooledEvent s) {
        String call = s.text("tool_call_id");
        return call != null && !call.isEmpty() ? call : s.text("tool_use_id");
    }

    private static Long duration(JsonNode e) {
        return e.hasNonNull("duration_ms") ? e.get("duration_ms").asLong() : null;
    }

    private static void failure(SpooledEvent s, JsonNode e, AgentEvent.Builder b, String tool) {
        String err = s.text("error");
        b.toolUseId(callId(s)).name(tool).input(QwenToolText.input(e.get("tool_input")))
                .tag(AgentEvent.TOOL_DESCRIPTION, QwenToolText.description(e.get("tool_input")))
                .durationMs(duration(e)).output(err == null ? null : err.strip());
        Matcher exit = EXIT_CODE.matcher(err == null ? "" : err);
        if (e.path("is_interrupt").asBoolean(false)) {
            b.error("Interrupted", err == null || err.isBlank() ? "Interrupted by the user" : err.strip());
        } else if (exit.find()) {
            b.error("ToolError", AgentEvent.commandFailed(exit.group(1))).tag("exit_code", exit.group(1));
        } else {
            b.error("ToolError", err == null || err.isBlank() ? "Tool failed" : err.strip());
        }
    }

    private static void turnFailure(SpooledEvent s, AgentEvent.Builder b) {
        String err = s.text("error");
        String details = s.text("error_details");
        String message = s.text("last_assistant_message");
        String text = details != null && !details.isBlank() ? details
                : message != null && !message.isBlank() ? message
                : err != null && !err.isBlank() ? err : "Qwen Code gave no details";
        b.output(message).error("APIError", "API error: " + text)
                .tag("api_error", err != null && !err.isBlank() ? err : "api_error");
    }

    /** The session's chat transcript, as the hooks name it. */
    static Path chatsFile(List<AgentEvent> events) {
        for (AgentEvent e : events) {
            String p = e.tags().get("transcript_path");
            if (e.subagentId() == null && p != null && !p.isBlank()) {
                return Path.of(p);
            }
        }
        return null;
    }
}
