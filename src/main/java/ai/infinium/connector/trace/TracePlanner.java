package ai.infinium.connector.trace;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.spool.SessionState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which traces a flush sends: every finished turn not sent yet (a turn is finished when
 * the agent ended it, a later prompt began, or the session is over), and every event that
 * arrived after its turn was sent, carried by the next trace so it is never dropped.
 */
public final class TracePlanner {
    private final String agent;
    private final Granularity granularity;

    public TracePlanner(String agent, Granularity granularity) {
        this.agent = agent;
        this.granularity = granularity;
    }

    /**
     * @param turns the session's turns, as a (possibly resumed) {@link TurnAssembler} made them
     * @param events the events this flush read, in the adapter's order, which is not always spool
     *     order (a recovered event is appended late but placed where it happened): steps drawn
     *     from several turns keep it
     */
    public List<TraceUnit> planFor(String sessionId, List<Turn> turns, List<AgentEvent> events, SessionState state,
            boolean sessionOver) {
        Map<Integer, Integer> position = new HashMap<>();
        for (AgentEvent e : events) {
            position.putIfAbsent(e.line(), position.size());
        }
        Comparator<AgentEvent> order = Comparator.<AgentEvent>comparingInt(
                e -> position.getOrDefault(e.line(), Integer.MAX_VALUE)).thenComparingInt(AgentEvent::line);
        return granularity == Granularity.SESSION
                ? planSession(sessionId, turns, state, sessionOver, order)
                : planTurns(sessionId, turns, state, sessionOver, order);
    }

    /**
     * Whether a turn's trace is queued: the events of a turn not queued yet must be read again
     * by the next flush, those of a queued one only if they are late.
     */
    /** The key of the trace that holds turn {@code t}: its own, or the session's. */
    public String keyOf(String sessionId, Turn t) {
        return granularity == Granularity.SESSION ? TraceKeys.of(agent, sessionId, "session") : turnKey(sessionId, t);
    }

    public boolean queued(String sessionId, Turn t, SessionState state) {
        return state.hasTrace(granularity == Granularity.SESSION ? TraceKeys.of(agent, sessionId, "session")
                : turnKey(sessionId, t));
    }

    private List<TraceUnit> planTurns(String sessionId, List<Turn> turns, SessionState state, boolean sessionOver,
            Comparator<AgentEvent> order) {
        Set<String> sentTurnIds = new LinkedHashSet<>();
        List<AgentEvent> late = new ArrayList<>();
        for (Turn t : turns) {
            if (state.hasTrace(turnKey(sessionId, t))) {
                sentTurnIds.add(t.id());
                late.addAll(unsent(t.events(), state));
            }
        }
        late.sort(order);
        List<TraceUnit> units = new ArrayList<>();
        for (int i = 0; i < turns.size(); i++) {
            Turn t = turns.get(i);
            String key = turnKey(sessionId, t);
            if (state.hasTrace(key)) {
                continue;
            }
            boolean finished = t.ended() || i < turns.size() - 1 || sessionOver;
            if (!finished) {
                continue;
            }
            List<AgentEvent> steps = new ArrayList<>();
            int lateCount = 0;
            if (units.isEmpty()) {
                steps.addAll(late);
                lateCount = late.size();
            }
            steps.addAll(unsent(t.events(), state));
            Set<String> usageTurns = new LinkedHashSet<>(sentTurnIds);
            for (TraceUnit u : units) {
                u.turns().forEach(x -> usageTurns.add(x.id()));
            }
            usageTurns.add(t.id());
            units.add(new TraceUnit(key, List.of(t), steps, usageTurns, lateCount, granularity));
        }
        if (units.isEmpty() && !late.isEmpty() && sessionOver) {
            String key = TraceKeys.of(agent, sessionId, "late:" + late.get(0).line());
            units.add(new TraceUnit(key, List.of(), late, sentTurnIds, late.size(), granularity));
        }
        return units;
    }

    private List<TraceUnit> planSession(String sessionId, List<Turn> turns, SessionState state, boolean sessionOver,
            Comparator<AgentEvent> order) {
        if (!sessionOver || turns.isEmpty()) {
            return List.of();
        }
        List<AgentEvent> steps = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (Turn t : turns) {
            steps.addAll(unsent(t.events(), state));
            ids.add(t.id());
        }
        steps.sort(order);
        String sessionKey = TraceKeys.of(agent, sessionId, "session");
        if (!state.hasTrace(sessionKey)) {
            return List.of(new TraceUnit(sessionKey, turns, steps, ids, 0, granularity));
        }
        if (steps.isEmpty()) {
            return List.of();
        }
        String key = TraceKeys.of(agent, sessionId, "late:" + steps.get(0).line());
        return List.of(new TraceUnit(key, List.of(), steps, ids, steps.size(), granularity));
    }

    public String turnKey(String sessionId, Turn t) {
        return TraceKeys.of(agent, sessionId, "turn:" + t.id());
    }

    private static List<AgentEvent> unsent(List<AgentEvent> events, SessionState state) {
        List<AgentEvent> out = new ArrayList<>();
        for (AgentEvent e : events) {
            if (e.kind().makesStep() && !state.isConsumed(e.line())) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Whether the session is over: a SessionEnd after the last prompt (a resumed session keeps
     * its id, so an old SessionEnd does not end the turns that follow it).
     */
    public static boolean sessionEnded(List<AgentEvent> events) {
        int lastPrompt = -1;
        int lastEnd = -1;
        for (AgentEvent e : events) {
            if (e.kind() == EventKind.PROMPT) {
                lastPrompt = e.line();
            } else if (e.kind() == EventKind.SESSION_END) {
                lastEnd = e.line();
            }
        }
        return lastEnd > lastPrompt;
    }
}
