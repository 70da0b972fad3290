package ai.infinium.connector.flush;

import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.spool.SessionState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API responses read in a flush that no trace has counted yet, grouped by turn, so each
 * trace takes those of its turns in one lookup per turn instead of a pass over every response
 * of the session. A response is handed out once.
 */
final class PendingCalls {
    private final Map<String, List<ApiCall>> byTurn = new HashMap<>();
    private final Map<ApiCall, Integer> order = new IdentityHashMap<>();

    PendingCalls(List<ApiCall> calls, SessionState state) {
        for (ApiCall c : calls) {
            if (c.turnId() != null && !state.isCounted(c.key())) {
                order.put(c, order.size());
                byTurn.computeIfAbsent(c.turnId(), t -> new ArrayList<>()).add(c);
            }
        }
    }

    /** The pending responses of these turns, in the order they were read; they are pending no more. */
    List<ApiCall> take(Set<String> turnIds) {
        List<ApiCall> out = new ArrayList<>();
        for (String t : turnIds) {
            List<ApiCall> calls = byTurn.remove(t);
            if (calls != null) {
                out.addAll(calls);
            }
        }
        out.sort(Comparator.comparingInt(order::get));
        return out;
    }
}
