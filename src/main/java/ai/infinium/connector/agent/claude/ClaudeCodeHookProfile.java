package ai.infinium.connector.agent.claude;

import ai.infinium.connector.hook.FlushTrigger;
import ai.infinium.connector.hook.HookProfile;

/** The flush triggers of Claude Code's events, as {@link ClaudeCodeEvent} declares them. */
public final class ClaudeCodeHookProfile implements HookProfile {
    public static final String NAME = "claude-code";

    @Override
    public FlushTrigger triggerFor(String eventName) {
        ClaudeCodeEvent e = ClaudeCodeEvent.named(eventName);
        return e == null ? FlushTrigger.NONE : e.trigger();
    }
}
