package ai.infinium.connector.agent.qwen;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentKind;
import ai.infinium.connector.hook.FlushTrigger;

/** Qwen Code, as the registry knows it: its name, its events' flush triggers ({@link QwenEvent}), its adapter. */
public final class Qwen implements AgentKind {
    public static final String NAME = "qwen";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FlushTrigger triggerFor(String eventName) {
        QwenEvent e = QwenEvent.named(eventName);
        return e == null ? FlushTrigger.NONE : e.trigger();
    }

    @Override
    public AgentAdapter adapter() {
        return new QwenAdapter();
    }
}
