package ai.infinium.connector.agent.codex;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentKind;
import ai.infinium.connector.hook.FlushTrigger;

/** Codex CLI, as the registry knows it: its name, its events' flush triggers ({@link CodexEvent}), its adapter. */
public final class Codex implements AgentKind {
    public static final String NAME = "codex";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FlushTrigger triggerFor(String eventName) {
        CodexEvent e = CodexEvent.named(eventName);
        return e == null ? FlushTrigger.NONE : e.trigger();
    }

    @Override
    public AgentAdapter adapter() {
        return new CodexAdapter();
    }
}
