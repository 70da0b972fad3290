package ai.infinium.connector.flush;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.io.FileCursor;
import ai.infinium.connector.spool.SessionState;
import ai.infinium.connector.spool.SpoolResume;
import ai.infinium.connector.trace.TracePlanner;
import ai.infinium.connector.trace.Turn;
import ai.infinium.connector.trace.TurnAssembler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the next flush of a session starts reading its spool, decided after this flush recorded
 * its traces: at the first line a later trace still needs whole, which is every event of a turn
 * not queued yet and every step event no trace has carried yet (a late SubagentStop waiting for
 * the next turn). Everything before that line is settled; of it, only the {@link ContextLines}
 * are read again.
 */
final class SpoolCheckpoint {
    private SpoolCheckpoint() {}

    static SpoolResume after(SessionReplay replay, List<Turn> turns, TracePlanner planner, String sessionId,
            SessionState state, Path spool) throws IOException {
        int needed = Integer.MAX_VALUE;
        for (Turn t : turns) {
            boolean queued = planner.queued(sessionId, t, state);
            for (AgentEvent e : t.events()) {
                if (!queued || e.kind().makesStep() && !state.isConsumed(e.line())) {
                    needed = Math.min(needed, e.line());
                }
            }
        }
        FileCursor cursor = replay.end;
        List<AgentEvent> before = new ArrayList<>(replay.context);
        TurnAssembler ledger = new TurnAssembler(replay.ledger);
        List<AgentEvent> fresh = new ArrayList<>(replay.fresh);
        fresh.sort(Comparator.comparingInt(AgentEvent::line)); // the adapter may have placed a late line early
        for (AgentEvent e : fresh) {
            if (e.line() >= needed) {
                break;
            }
            before.add(e);
            ledger.add(e);
        }
        if (needed != Integer.MAX_VALUE) {
            long offset = replay.offsetOf(needed);
            if (offset < 0) {
                return null; // cannot happen for a line just read; read everything next time rather than guess
            }
            cursor = FileCursor.at(spool, offset, needed - 1, Map.of());
        }
        Map<Integer, Long> known = new HashMap<>();
        replay.contextRefs.forEach(r -> known.put(r.line(), r.offset()));
        List<SpoolResume.LineRef> refs = new ArrayList<>();
        for (AgentEvent e : ContextLines.select(before)) {
            Long offset = known.containsKey(e.line()) ? known.get(e.line()) : replay.offsetOf(e.line());
            if (offset == null || offset < 0) {
                return null;
            }
            refs.add(new SpoolResume.LineRef(e.line(), offset));
        }
        return new SpoolResume(cursor, refs, ledger.ledger());
    }
}
