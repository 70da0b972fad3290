package ai.infinium.connector.agent.codex;

import ai.infinium.connector.hook.FlushTrigger;
import ai.infinium.connector.hook.HookProfile;

/** The flush triggers of Codex's events, as {@link CodexEvent} declares them. */
public final class CodexHookProfile implements HookProfile {
    public static final String NAME = "codex";

    @Override
    public FlushTrigger triggerFor(String eventName) {
        CodexEvent e = CodexEvent.named(eventName);
        return e == null ? FlushTrigger.NONE : e.trigger();
    }
}
