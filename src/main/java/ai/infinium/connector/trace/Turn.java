package ai.infinium.connector.trace;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import java.util.ArrayList;
import java.util.List;

/** One prompt→response cycle: the events that carry its turn id, or that came between its boundaries. */
public final class Turn {
    private final String id;
    private final int index;
    private final List<AgentEvent> events = new ArrayList<>();
    private boolean ended;

    /** @param endedEarlier the turn ended in events a resumed assembler did not see again */
    Turn(String id, int index, boolean endedEarlier) {
        this.id = id;
        this.index = index;
        this.ended = endedEarlier;
    }

    /** The agent's turn id, or {@code pos:N} when the agent gives none. */
    public String id() {
        return id;
    }

    /** 1-based position in the session. */
    public int index() {
        return index;
    }

    public List<AgentEvent> events() {
        return events;
    }

    void add(AgentEvent e) {
        events.add(e);
        ended |= e.kind() == EventKind.TURN_END || e.kind() == EventKind.TURN_FAILURE;
    }

    /** Whether the agent said the turn is over (Stop or StopFailure). */
    public boolean ended() {
        return ended;
    }

}
