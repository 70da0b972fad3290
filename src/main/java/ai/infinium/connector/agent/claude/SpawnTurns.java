package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.EventTurns;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The turn that spawned a subagent, for a subagent transcript whose lines name no turn (no
 * {@code promptId}, or one the hooks do not know): its usage belongs there. By the hooks' word
 * first (its SubagentStart, else its SubagentStop: a background subagent can stop in a later
 * turn), else the Agent (Task) call whose result names it, else by time: the turn of the session
 * transcript's last response before the subagent's first, as a compaction agent has neither
 * hook nor call and starts from within the turn it compacts.
 */
final class SpawnTurns {
    private final Map<String, String> byHooks = new HashMap<>();
    private final TranscriptScan session;

    /** @param session the session transcript, read before any subagent's; null when there is none */
    SpawnTurns(List<AgentEvent> events, EventTurns turns, TranscriptScan session) {
        this.session = session;
        for (EventKind kind : new EventKind[] {EventKind.SUBAGENT_START, EventKind.SUBAGENT_STOP}) {
            for (AgentEvent e : events) {
                String turn = e.kind() == kind && e.subagentId() != null ? turns.turnOf(e) : null;
                if (turn != null) {
                    byHooks.putIfAbsent(e.subagentId(), turn);
                }
            }
        }
    }

    /**
     * @param firstResponseAt the time of the subagent's first response line, if known: a time
     *     past a prompt line the session's transcript could not place yet is ahead too
     */
    LineTurn turnOf(String agentId, String firstResponseAt) {
        String turn = byHooks.get(agentId);
        if (turn != null || session == null) {
            return LineTurn.of(turn);
        }
        turn = session.spawns.get(agentId);
        return turn != null ? LineTurn.of(turn) : turnAt(firstResponseAt);
    }

    private LineTurn turnAt(String at) {
        Instant when = instant(at);
        if (when == null) {
            return LineTurn.of(null);
        }
        if (session.stopped()) {
            Instant stop = instant(session.stoppedAt());
            if (stop == null || !when.isBefore(stop)) {
                return LineTurn.AHEAD;
            }
        }
        String turn = session.startPrompt();
        for (TranscriptScan.Start s : session.starts) {
            Instant started = instant(s.at());
            if (started != null && started.isAfter(when)) {
                break;
            }
            turn = s.prompt() != null ? s.prompt() : turn;
        }
        return LineTurn.of(turn);
    }

    private static Instant instant(String at) {
        try {
            return at == null ? null : Instant.parse(at);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
