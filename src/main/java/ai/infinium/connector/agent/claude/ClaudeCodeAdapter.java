package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ClaudeStylePayloads;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.UsageSource;
import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Claude Code's hook events (2.1.x) in the pipeline's terms. */
public final class ClaudeCodeAdapter implements AgentAdapter {
    private static final java.util.Set<String> UNREAD = java.util.Set.of("tool_calls", "background_tasks",
            "session_crons");
    private final UsageSource usage = new ClaudeTranscriptUsage();
    private final ClaudeTranscriptRecovery recovery = new ClaudeTranscriptRecovery();

    @Override
    public String name() {
        return ClaudeCode.NAME;
    }

    @Override
    public String displayName() {
        return "Claude Code";
    }

    @Override
    public String framework() {
        return "claude-code";
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
    public ai.infinium.connector.agent.HookInstaller installer(java.nio.file.Path projectDir,
            java.util.Map<String, String> env, java.nio.file.Path home) {
        return new ClaudeHookInstaller(projectDir,
                new ai.infinium.connector.config.ServerFiles(new ai.infinium.connector.config.UserDirs(env), env));
    }

    @Override
    public String projectMarker() {
        return ".claude";
    }

    @Override
    public boolean normalizesAlone() {
        return true;
    }

    /** PostToolBatch repeats each tool's input and output; Stop lists background tasks. */
    @Override
    public java.util.Set<String> unreadFields() {
        return UNREAD;
    }

    @Override
    public List<ClaudeCodeEvent> events() {
        return List.of(ClaudeCodeEvent.values());
    }

    @Override
    public List<AgentEvent> normalize(List<SpooledEvent> spooled) {
        List<AgentEvent> out = new ArrayList<>(spooled.size());
        for (SpooledEvent s : spooled) {
            out.add(normalize(s));
        }
        return RecoveredEventPlacement.place(out);
    }

    @Override
    public List<AgentEvent> arrange(List<AgentEvent> events) {
        return RecoveredEventPlacement.place(events);
    }

    @Override
    public List<byte[]> recover(List<AgentEvent> earlier, List<AgentEvent> read, boolean sessionOver) {
        return recovery.recoverFrom(earlier, read, sessionOver);
    }

    @Override
    public List<byte[]> recover(List<AgentEvent> earlier, List<AgentEvent> read, boolean sessionOver,
            java.util.Map<String, ai.infinium.connector.io.FileCursor> cursors) {
        return recovery.recoverFrom(earlier, read, sessionOver, cursors);
    }

    /** On a background-task prompt: the ids of the tasks it reports, comma-separated. */
    static final String BACKGROUND_TASK_IDS = "background_task_ids";

    static AgentEvent normalize(SpooledEvent s) {
        JsonNode e = s.event();
        String eventName = s.text("hook_event_name");
        EventKind kind = kindOf(eventName);
        AgentEvent.Builder b = ClaudeStylePayloads.common(s, kind);
        if (ClaudeStylePayloads.lifecycle(s, kind, b)) {
            return b.build();
        }
        String tool = s.text("tool_name");
        switch (kind) {
            case PROMPT:
                java.util.Optional<TaskNotification> task = TaskNotification.parse(s.text("prompt"));
                if (task.isPresent()) {
                    b.input(task.get().result()).tag(AgentEvent.BACKGROUND_TASK, task.get().title())
                            .tag(BACKGROUND_TASK_IDS, String.join(",", task.get().taskIds()));
                } else {
                    b.input(s.text("prompt"));
                }
                break;
            case TOOL_START:
                b.toolUseId(s.text("tool_use_id")).name(tool).input(ClaudeToolText.input(tool, e.get("tool_input")))
                        .tag(AgentEvent.TOOL_DESCRIPTION, ClaudeToolText.description(tool, e.get("tool_input")));
                break;
            case TOOL_END:
                b.toolUseId(s.text("tool_use_id")).name(tool)
                        .input(ClaudeToolText.input(tool, e.get("tool_input")))
                        .tag(AgentEvent.TOOL_DESCRIPTION, ClaudeToolText.description(tool, e.get("tool_input")))
                        .output(ClaudeToolText.output(e.get("tool_response")))
                        .durationMs(e.hasNonNull("duration_ms") ? e.get("duration_ms").asLong() : null);
                break;
            case TOOL_FAILURE:
                failure(s, e, b, tool, eventName);
                break;
            case TURN_FAILURE:
                String details = s.text("error_details");
                String message = s.text("last_assistant_message");
                String err = s.text("error");
                String text = message != null && !message.isEmpty() ? message
                        : err != null && !err.isEmpty() ? "API error: " + err : "API error (Claude Code gave no details)";
                // Claude Code's `error` is a category, often just "unknown"; the message says what failed.
                boolean vague = err == null || err.isEmpty() || err.equals("unknown");
                b.output(message).error("APIError", details == null ? text : text + " (" + details + ")")
                        .tag("api_error", vague ? firstLine(text) : err + " (" + firstLine(text) + ")");
                break;
            default:
                break;
        }
        return b.build();
    }

    private static String firstLine(String text) {
        String line = text.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl).strip();
    }

    private static void failure(SpooledEvent s, JsonNode e, AgentEvent.Builder b, String tool, String eventName) {
        b.toolUseId(s.text("tool_use_id")).name(tool).input(ClaudeToolText.input(tool, e.get("tool_input")))
                .durationMs(e.hasNonNull("duration_ms") ? e.get("duration_ms").asLong() : null);
        if ("PermissionDenied".equals(eventName)) {
            String reason = s.text("reason");
            b.error("PermissionDenied", "Permission denied" + (reason == null ? "" : ": " + reason));
        } else if (e.path("is_interrupt").asBoolean(false)) {
            b.error("Interrupted", s.text("error") == null ? "Interrupted by the user" : s.text("error"));
        } else {
            String err = s.text("error");
            b.error("ToolError", err == null || err.isEmpty() ? "Tool failed" : err);
        }
        b.output(s.text("error"));
    }

    static EventKind kindOf(String eventName) {
        ClaudeCodeEvent e = ClaudeCodeEvent.named(eventName);
        return e == null ? EventKind.OTHER : e.kind();
    }
}
