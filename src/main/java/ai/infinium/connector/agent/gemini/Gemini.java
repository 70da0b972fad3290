package ai.infinium.connector.agent.gemini;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentKind;
import ai.infinium.connector.hook.FlushTrigger;

/** Gemini CLI, as the registry knows it: its name, its events' flush triggers ({@link GeminiEvent}), its adapter. */
public final class Gemini implements AgentKind {
    public static final String NAME = "gemini";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FlushTrigger triggerFor(String eventName) {
        GeminiEvent e = GeminiEvent.named(eventName);
        return e == null ? FlushTrigger.NONE : e.trigger();
    }

    /** Gemini CLI runs only the user's hooks: only projects set up for it record their events. */
    @Override
    public boolean userLevelHooks() {
        return true;
    }

    @Override
    public AgentAdapter adapter() {
        return new GeminiAdapter();
    }
}
