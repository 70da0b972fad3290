package ai.infinium.connector.agent.copilot;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentKind;
import ai.infinium.connector.hook.FlushTrigger;

/** GitHub Copilot CLI, as the registry knows it: its name, its events' flush triggers ({@link CopilotEvent}), its adapter. */
public final class Copilot implements AgentKind {
    public static final String NAME = "copilot";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FlushTrigger triggerFor(String eventName) {
        CopilotEvent e = CopilotEvent.named(eventName);
        return e == null ? FlushTrigger.NONE : e.trigger();
    }

    /** Its hooks live in {@code $COPILOT_HOME/hooks/}, the one place it runs them without a trust step. */
    @Override
    public boolean userLevelHooks() {
        return true;
    }

    @Override
    public AgentAdapter adapter() {
        return new CopilotAdapter();
    }
}
