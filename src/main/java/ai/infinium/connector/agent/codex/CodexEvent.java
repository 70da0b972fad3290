package ai.infinium.connector.agent.codex;

import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.HookEvent;
import ai.infinium.connector.hook.FlushTrigger;
import java.util.Map;

/**
 * Every Codex hook event infinium installs, once: its meaning and its flush trigger. The
 * installer, the adapter and the hook's profile all read this table; it is on the hook's path,
 * so it holds names and enums only. Interrupt ends a turn as surely as Stop does (the user
 * stopped it): it is a failed turn and starts the flush.
 */
public enum CodexEvent implements HookEvent {
    SESSION_START("SessionStart", EventKind.SESSION_START, FlushTrigger.NONE),
    USER_PROMPT_SUBMIT("UserPromptSubmit", EventKind.PROMPT, FlushTrigger.NONE),
    PRE_MODEL_REQUEST("PreModelRequest", EventKind.OTHER, FlushTrigger.NONE),
    /** A failed request is a failed turn: the adapter reads that from the payload's status. */
    POST_MODEL_REQUEST("PostModelRequest", EventKind.OTHER, FlushTrigger.NONE),
    PRE_TOOL_USE("PreToolUse", EventKind.TOOL_START, FlushTrigger.NONE),
    PERMISSION_REQUEST("PermissionRequest", EventKind.OTHER, FlushTrigger.NONE),
    POST_TOOL_USE("PostToolUse", EventKind.TOOL_END, FlushTrigger.NONE),
    PRE_COMPACT("PreCompact", EventKind.OTHER, FlushTrigger.NONE),
    POST_COMPACT("PostCompact", EventKind.COMPACTION, FlushTrigger.NONE),
    SUBAGENT_START("SubagentStart", EventKind.SUBAGENT_START, FlushTrigger.NONE),
    SUBAGENT_STOP("SubagentStop", EventKind.SUBAGENT_STOP, FlushTrigger.NONE),
    STOP("Stop", EventKind.TURN_END, FlushTrigger.TURN_END),
    INTERRUPT("Interrupt", EventKind.TURN_FAILURE, FlushTrigger.TURN_END),
    SESSION_END("SessionEnd", EventKind.SESSION_END, FlushTrigger.SESSION_END);

    private static final Map<String, CodexEvent> BY_NAME = HookEvent.byName(values());

    private final Row row;

    CodexEvent(String hookName, EventKind kind, FlushTrigger trigger) {
        this.row = new Row(hookName, kind, trigger);
    }

    /** The row for a hook event name; null for an event we do not install. */
    public static CodexEvent named(String hookName) {
        return hookName == null ? null : BY_NAME.get(hookName);
    }

    @Override
    public Row row() {
        return row;
    }
}
