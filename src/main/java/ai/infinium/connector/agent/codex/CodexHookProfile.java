package ai.infinium.connector.agent.codex;

import ai.infinium.connector.hook.FlushTrigger;
import ai.infinium.connector.hook.HookProfile;

/** Codex ends a turn with Stop; SessionEnd, when it fires at all, ends the session. */
public final class CodexHookProfile implements HookProfile {
    public static final String NAME = "codex";

    @Override
    public FlushTrigger triggerFor(String eventName) {
        if ("Stop".equals(eventName)) {
            return FlushTrigger.TURN_END;
        }
        if ("SessionEnd".equals(eventName)) {
            return FlushTrigger.SESSION_END;
        }
        return FlushTrigger.NONE;
    }
}
