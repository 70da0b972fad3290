package ai.infinium.connector.agent.claude;

import ai.infinium.connector.hook.FlushTrigger;
import ai.infinium.connector.hook.HookProfile;

/** Claude Code ends a turn with Stop (or StopFailure when the API fails) and a session with SessionEnd. */
public final class ClaudeCodeHookProfile implements HookProfile {
    public static final String NAME = "claude-code";

    @Override
    public FlushTrigger triggerFor(String eventName) {
        if ("Stop".equals(eventName) || "StopFailure".equals(eventName)) {
            return FlushTrigger.TURN_END;
        }
        if ("SessionEnd".equals(eventName)) {
            return FlushTrigger.SESSION_END;
        }
        return FlushTrigger.NONE;
    }
}
