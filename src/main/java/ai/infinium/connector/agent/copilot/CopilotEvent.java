package ai.infinium.connector.agent.copilot;

import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.HookEvent;
import ai.infinium.connector.hook.FlushTrigger;
import java.util.Map;

/**
 * Every Copilot CLI (1.0.102) hook event infinium installs, once: its meaning and its flush
 * trigger. The installer, the adapter and the hook's profile read this table; it is on the
 * hook's path, so it holds names and enums only.
 *
 * <p>Left out on purpose, each being a JVM start on the agent's critical path for nothing a trace
 * needs: sessionStart (it runs beside the prompt's hook and says only new/resume),
 * userPromptTransformed (the prompt again, with a date prefix), permissionRequest (fires for every
 * shell call even with --allow-all-tools), preCompact, notification and the subagent and MCP events.
 *
 * <p>errorOccurred is no turn end: Copilot fires it for each retry of a failing request (six for
 * a 500), recoverable or not. What ends a failed turn is {@code sessionEnd} with
 * {@code reason: "error"} and no agentStop before it; the adapter reads that from the payload.
 */
public enum CopilotEvent implements HookEvent {
    USER_PROMPT_SUBMITTED("userPromptSubmitted", EventKind.PROMPT, FlushTrigger.NONE),
    PRE_TOOL_USE("preToolUse", EventKind.TOOL_START, FlushTrigger.NONE),
    POST_TOOL_USE("postToolUse", EventKind.TOOL_END, FlushTrigger.NONE),
    POST_TOOL_USE_FAILURE("postToolUseFailure", EventKind.TOOL_FAILURE, FlushTrigger.NONE),
    ERROR_OCCURRED("errorOccurred", EventKind.OTHER, FlushTrigger.NONE),
    AGENT_STOP("agentStop", EventKind.TURN_END, FlushTrigger.TURN_END),
    SESSION_END("sessionEnd", EventKind.SESSION_END, FlushTrigger.SESSION_END);

    private static final Map<String, CopilotEvent> BY_NAME = HookEvent.byName(values());

    private final Row row;

    CopilotEvent(String hookName, EventKind kind, FlushTrigger trigger) {
        this.row = new Row(hookName, kind, trigger);
    }

    /** The row for a hook event name; null for an event we do not install. */
    public static CopilotEvent named(String hookName) {
        return hookName == null ? null : BY_NAME.get(hookName);
    }

    @Override
    public Row row() {
        return row;
    }
}
