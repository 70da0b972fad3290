package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentKind;
import ai.infinium.connector.hook.FlushTrigger;

/** Claude Code, as the registry knows it: its name, its events' flush triggers ({@link ClaudeCodeEvent}), its adapter. */
public final class ClaudeCode implements AgentKind {
    public static final String NAME = "claude-code";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public FlushTrigger triggerFor(String eventName) {
        ClaudeCodeEvent e = ClaudeCodeEvent.named(eventName);
        return e == null ? FlushTrigger.NONE : e.trigger();
    }

    @Override
    public AgentAdapter adapter() {
        return new ClaudeCodeAdapter();
    }
}
