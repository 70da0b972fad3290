package ai.infinium.connector.agent.qwen;

import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.HookEvent;
import ai.infinium.connector.hook.FlushTrigger;
import java.util.Map;

/**
 * Every Qwen Code (0.24.4) hook event infinium installs, once: its meaning and its flush trigger.
 * The installer, the adapter and the hook's profile all read this table; it is on the hook's
 * path, so it holds names and enums only.
 *
 * <p>Left out on purpose: PostToolBatch (repeats each tool's input and output), MessageDisplay
 * (fires per displayed message), Notification, InstructionsLoaded, PreCompact, Todo*, Permission*
 * and UserPromptExpansion: none adds a step, and each hook is a JVM start on the agent's path.
 * UserPromptSubmit cannot be left out although Qwen fires it again, with an empty prompt, after
 * every tool batch: it is the only event that opens a turn, and after an API error the only
 * one the turn fires at all.
 */
public enum QwenEvent implements HookEvent {
    SESSION_START("SessionStart", EventKind.SESSION_START, FlushTrigger.NONE),
    /** The adapter reads a repeat with an empty prompt (same prompt_id) as no event of its own. */
    USER_PROMPT_SUBMIT("UserPromptSubmit", EventKind.PROMPT, FlushTrigger.NONE),
    PRE_TOOL_USE("PreToolUse", EventKind.TOOL_START, FlushTrigger.NONE),
    POST_TOOL_USE("PostToolUse", EventKind.TOOL_END, FlushTrigger.NONE),
    /** A shell command that exits non-zero lands here, with {@code Exit Code: N} in {@code error}. */
    POST_TOOL_USE_FAILURE("PostToolUseFailure", EventKind.TOOL_FAILURE, FlushTrigger.NONE),
    SUBAGENT_START("SubagentStart", EventKind.SUBAGENT_START, FlushTrigger.NONE),
    SUBAGENT_STOP("SubagentStop", EventKind.SUBAGENT_STOP, FlushTrigger.NONE),
    POST_COMPACT("PostCompact", EventKind.COMPACTION, FlushTrigger.NONE),
    STOP("Stop", EventKind.TURN_END, FlushTrigger.TURN_END),
    /** Not fired by a headless run whose API call failed (no hook ends that turn), but when it fires it ends one. */
    STOP_FAILURE("StopFailure", EventKind.TURN_FAILURE, FlushTrigger.TURN_END),
    /** Interactive exit, /clear and ACP only: a headless session is ended by the stale-session rule. */
    SESSION_END("SessionEnd", EventKind.SESSION_END, FlushTrigger.SESSION_END);

    private static final Map<String, QwenEvent> BY_NAME = HookEvent.byName(values());

    private final Row row;

    QwenEvent(String hookName, EventKind kind, FlushTrigger trigger) {
        this.row = new Row(hookName, kind, trigger);
    }

    /** The row for a hook event name; null for an event we do not install. */
    public static QwenEvent named(String hookName) {
        return hookName == null ? null : BY_NAME.get(hookName);
    }

    @Override
    public Row row() {
        return row;
    }
}
