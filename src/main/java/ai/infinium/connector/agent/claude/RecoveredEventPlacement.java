package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts recovered events where they happened. They are appended to the spool after the turn's
 * end, but they are stamped with their transcript times, on the same clock the hook stamps
 * arrivals with: each goes before the first delivered event of its turn that arrived later
 * (never before its turn's prompt). Delivered events keep their spool order exactly.
 *
 * <p>It also keeps every hook event once: a delivered event that a recovered one already
 * stands for (a hook that arrived after all, later than recovery thought possible) is dropped,
 * so a trace already sent with the recovered event is not followed by a duplicate.
 */
final class RecoveredEventPlacement {
    private RecoveredEventPlacement() {}

    static List<AgentEvent> place(List<AgentEvent> spoolOrder) {
        List<AgentEvent> delivered = new ArrayList<>();
        List<AgentEvent> recovered = new ArrayList<>();
        Map<String, Boolean> seen = new HashMap<>();
        for (AgentEvent e : spoolOrder) {
            String key = identity(e);
            Boolean firstRecovered = key == null ? null : seen.putIfAbsent(key, e.recoveredFrom() != null);
            if (firstRecovered != null && (firstRecovered || e.recoveredFrom() != null)) {
                continue;
            }
            (e.recoveredFrom() == null ? delivered : recovered).add(e);
        }
        if (recovered.isEmpty()) {
            return delivered;
        }
        recovered.sort(Comparator.comparingLong(AgentEvent::millis)); // stable: spool order among equal times
        List<AgentEvent> out = new ArrayList<>(delivered.size() + recovered.size());
        Set<String> promptedTurns = new HashSet<>();
        for (AgentEvent d : delivered) {
            if (d.turnId() != null && promptedTurns.contains(d.turnId())) {
                for (Iterator<AgentEvent> it = recovered.iterator(); it.hasNext(); ) {
                    AgentEvent r = it.next();
                    if (d.turnId().equals(r.turnId()) && r.millis() < d.millis()) {
                        out.add(r);
                        it.remove();
                    }
                }
            }
            out.add(d);
            if (d.kind() == EventKind.PROMPT && d.turnId() != null) {
                promptedTurns.add(d.turnId());
            }
        }
        out.addAll(recovered); // nothing of their turn arrived later: they come last, as appended
        return out;
    }

    /** Which hook report an event is: a call's start or end, a subagent's start or stop; null for others. */
    private static String identity(AgentEvent e) {
        switch (e.kind()) {
            case TOOL_START:
                return e.toolUseId() == null ? null : "start " + e.toolUseId();
            case TOOL_END:
            case TOOL_FAILURE:
                return e.toolUseId() == null ? null : "end " + e.toolUseId();
            case SUBAGENT_START:
                return e.subagentId() == null ? null : "subagent start " + e.subagentId();
            case SUBAGENT_STOP:
                return e.subagentId() == null ? null : "subagent stop " + e.subagentId();
            default:
                return null;
        }
    }
}
