package ai.infinium.connector.agent;

import java.util.Map;

/**
 * A hook event as the agent-neutral pipeline sees it. Adapters fill what their agent knows;
 * previews are whole here and cut to the configured limits when the trace is built.
 *
 * @param turnId the agent's turn identity (Claude Code {@code prompt_id}, Codex {@code turn_id});
 *     null when the payload has none, in which case prompt boundaries decide
 * @param subagentId set on subagent lifecycle events and on tool calls made inside a subagent
 * @param tags environment facts the event reveals (model, permission_mode, session_source, …), and
 *     {@link #RECOVERED_FROM} on an event the hooks never delivered, rebuilt by the connector
 */
public record AgentEvent(
        EventKind kind,
        int line,
        String timestamp,
        long millis,
        String sessionId,
        String turnId,
        String cwd,
        String toolUseId,
        String name,
        String input,
        String output,
        String error,
        String errorType,
        Long durationMs,
        String subagentId,
        String subagentType,
        Map<String, String> tags) {

    /** The tag naming what a rebuilt event was recovered from (e.g. {@code transcript}). */
    public static final String RECOVERED_FROM = "recovered_from";
    /** The tag ({@code "true"}) of a rebuilt event whose hook is not installed on purpose. */
    public static final String PLANNED = "planned";
    /** On a prompt the agent submitted itself for a finished background task: the task's title. */
    public static final String BACKGROUND_TASK = "background_task";
    /** On a tool call: the call's own account of what it does ("Print hello"). */
    public static final String TOOL_DESCRIPTION = "tool_description";

    /** A shell command's failure, in the same words whichever agent ran it. */
    public static String commandFailed(Object exitCode) {
        return "Command failed with exit code " + exitCode;
    }

    public AgentEvent {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** Where the connector rebuilt this event from, or null for an event a hook delivered. */
    public String recoveredFrom() {
        return tags.get(RECOVERED_FROM);
    }

    /** Where a hook that should have delivered this event failed to, and it was rebuilt from; else null. */
    public String missedHookRecoveredFrom() {
        return "true".equals(tags.get(PLANNED)) ? null : recoveredFrom();
    }

    public static Builder of(EventKind kind, int line, String timestamp, long millis) {
        return new Builder(kind, line, timestamp, millis);
    }

    /** Builder, since most events fill only a few of the fields. */
    public static final class Builder {
        private final EventKind kind;
        private final int line;
        private final String timestamp;
        private final long millis;
        private String sessionId;
        private String turnId;
        private String cwd;
        private String toolUseId;
        private String name;
        private String input;
        private String output;
        private String error;
        private String errorType;
        private Long durationMs;
        private String subagentId;
        private String subagentType;
        private final java.util.LinkedHashMap<String, String> tags = new java.util.LinkedHashMap<>();

        private Builder(EventKind kind, int line, String timestamp, long millis) {
            this.kind = kind;
            this.line = line;
            this.timestamp = timestamp;
            this.millis = millis;
        }

        public Builder session(String v) { sessionId = v; return this; }
        public Builder turn(String v) { turnId = v; return this; }
        public Builder cwd(String v) { cwd = v; return this; }
        public Builder toolUseId(String v) { toolUseId = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder input(String v) { input = v; return this; }
        public Builder output(String v) { output = v; return this; }
        public Builder error(String type, String message) { errorType = type; error = message; return this; }
        public Builder durationMs(Long v) { durationMs = v; return this; }
        public Builder subagent(String id, String type) { subagentId = id; subagentType = type; return this; }

        public Builder tag(String key, String value) {
            if (value != null && !value.isEmpty()) {
                tags.put(key, value);
            }
            return this;
        }

        public AgentEvent build() {
            return new AgentEvent(kind, line, timestamp, millis, sessionId, turnId, cwd, toolUseId, name, input,
                    output, error, errorType, durationMs, subagentId, subagentType, tags);
        }
    }
}
