package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.HookEvent;
import ai.infinium.connector.hook.FlushTrigger;
import java.util.Map;

/**
 * Every Claude Code hook event infinium installs, once: its meaning, its flush trigger and how
 * server mode hooks it. The installer, the adapter and the hook's profile all read this table.
 * It is on the hook's path, so it holds names and enums only.
 */
public enum ClaudeCodeEvent implements HookEvent {
    SESSION_START("SessionStart", EventKind.SESSION_START, FlushTrigger.NONE, ServerModeHook.COMMAND),
    USER_PROMPT_SUBMIT("UserPromptSubmit", EventKind.PROMPT, FlushTrigger.NONE, ServerModeHook.COMMAND),
    PRE_TOOL_USE("PreToolUse", EventKind.TOOL_START, FlushTrigger.NONE, ServerModeHook.NONE),
    POST_TOOL_USE("PostToolUse", EventKind.TOOL_END, FlushTrigger.NONE, ServerModeHook.NONE),
    POST_TOOL_USE_FAILURE("PostToolUseFailure", EventKind.TOOL_FAILURE, FlushTrigger.NONE, ServerModeHook.HTTP),
    PERMISSION_DENIED("PermissionDenied", EventKind.TOOL_FAILURE, FlushTrigger.NONE, ServerModeHook.HTTP),
    SUBAGENT_START("SubagentStart", EventKind.SUBAGENT_START, FlushTrigger.NONE, ServerModeHook.HTTP),
    SUBAGENT_STOP("SubagentStop", EventKind.SUBAGENT_STOP, FlushTrigger.NONE, ServerModeHook.HTTP),
    PRE_COMPACT("PreCompact", EventKind.OTHER, FlushTrigger.NONE, ServerModeHook.HTTP),
    POST_COMPACT("PostCompact", EventKind.COMPACTION, FlushTrigger.NONE, ServerModeHook.HTTP),
    STOP("Stop", EventKind.TURN_END, FlushTrigger.TURN_END, ServerModeHook.COMMAND),
    STOP_FAILURE("StopFailure", EventKind.TURN_FAILURE, FlushTrigger.TURN_END, ServerModeHook.COMMAND),
    SESSION_END("SessionEnd", EventKind.SESSION_END, FlushTrigger.SESSION_END, ServerModeHook.COMMAND);

    /**
     * How server mode hooks an event. NONE: no hook at all, because it fires on every tool call
     * and Claude Code 2.1.330 spends about 13 ms dispatching even an http hook to a server that
     * answers at once (bench/turn-bench.sh); the flush reads those calls from the transcript.
     * HTTP: a post to the server, for the tool events that fire only now and then. COMMAND: the
     * turn and session boundaries, recorded even with the server down (the launcher forwards them
     * to a running one) and starting it again; SessionStart cannot be an http hook at all.
     */
    public enum ServerModeHook { COMMAND, HTTP, NONE }

    private static final Map<String, ClaudeCodeEvent> BY_NAME = HookEvent.byName(values());

    private final Row row;
    private final ServerModeHook serverMode;

    ClaudeCodeEvent(String hookName, EventKind kind, FlushTrigger trigger, ServerModeHook serverMode) {
        this.row = new Row(hookName, kind, trigger);
        this.serverMode = serverMode;
    }

    /** The row for a hook event name; null for an event we do not install. */
    public static ClaudeCodeEvent named(String hookName) {
        return hookName == null ? null : BY_NAME.get(hookName);
    }

    @Override
    public Row row() {
        return row;
    }

    public ServerModeHook serverMode() {
        return serverMode;
    }
}
