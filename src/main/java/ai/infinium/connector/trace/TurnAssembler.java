package ai.infinium.connector.trace;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.spool.TurnLedger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups a session's events into turns: by the agent's turn id where events carry one (so a
 * background subagent's late events still belong to the turn that started it), else by prompt
 * boundaries. Events before the first prompt (SessionStart, …) belong to no turn.
 *
 * <p>An assembler can resume from a {@link TurnLedger} of the turns earlier events made, so a flush
 * that reads only the spool's new lines still gives every event the turn (and every new turn the
 * index) a reading of the whole spool would.
 */
public final class TurnAssembler {
    private final Map<String, Turn> byId = new LinkedHashMap<>();
    private final Map<AgentEvent, Turn> turnOfEvent = new IdentityHashMap<>();
    private Turn current;
    private int prompts;

    /** Resumes after the events that made {@code from} ({@link TurnLedger#EMPTY}: from the start). */
    public TurnAssembler(TurnLedger from) {
        Set<String> unended = new HashSet<>(from.unendedTurnIds());
        for (String id : from.turnIds()) {
            byId.put(id, new Turn(id, byId.size() + 1, !unended.contains(id)));
        }
        prompts = from.prompts();
        current = from.currentTurnId() == null ? null : byId.get(from.currentTurnId());
    }

    public TurnAssembler addAll(List<AgentEvent> events) {
        events.forEach(this::add);
        return this;
    }

    public void add(AgentEvent e) {
        if (e.kind() == EventKind.PROMPT) {
            prompts++;
            String id = e.turnId() != null ? e.turnId() : "pos:" + prompts;
            Turn t = byId.get(id);
            if (t == null) {
                t = new Turn(id, byId.size() + 1, false);
                byId.put(id, t);
            }
            t.add(e);
            turnOfEvent.put(e, t);
            current = t;
            return;
        }
        Turn target;
        if (e.turnId() != null) {
            target = byId.get(e.turnId());
            if (target == null) {
                if (!e.kind().makesStep()) {
                    // Context before any prompt, or an event no prompt opened a turn for: the
                    // SessionEnd of an interactive /exit, /clear or Ctrl-C carries a fresh
                    // prompt_id. Neither is a turn; a trace of it would be empty.
                    return;
                }
                target = new Turn(e.turnId(), byId.size() + 1, false);
                byId.put(e.turnId(), target);
                current = target;
            }
        } else if (current != null) {
            target = current;
        } else if (e.kind().makesStep()) {
            current = new Turn("pos:0", byId.size() + 1, false);
            byId.put(current.id(), current);
            target = current;
        } else {
            return;
        }
        target.add(e);
        turnOfEvent.put(e, target);
    }

    /**
     * The turn an event added here joined; for any other event (a context line read again) its
     * own turn id. Agents that name no turns get theirs only here.
     */
    public String turnOf(AgentEvent e) {
        Turn t = turnOfEvent.get(e);
        return t != null ? t.id() : e.turnId();
    }

    /** Every turn so far, those resumed from the ledger included, in the order they began. */
    public List<Turn> turns() {
        return new ArrayList<>(byId.values());
    }

    public boolean knows(String turnId) {
        return byId.containsKey(turnId);
    }

    public TurnLedger ledger() {
        List<String> unended = new ArrayList<>();
        for (Turn t : byId.values()) {
            if (!t.ended()) {
                unended.add(t.id());
            }
        }
        return new TurnLedger(new ArrayList<>(byId.keySet()), unended, prompts, current == null ? null : current.id());
    }
}
