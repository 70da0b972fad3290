package ai.infinium.connector.trace;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups a session's events into turns: by the agent's turn id where events carry one (so a
 * background subagent's late events still belong to the turn that started it), else by prompt
 * boundaries. Events before the first prompt (SessionStart, …) belong to no turn.
 */
public final class TurnAssembler {
    private TurnAssembler() {}

    public static List<Turn> assemble(List<AgentEvent> events) {
        Map<String, Turn> byId = new LinkedHashMap<>();
        Turn current = null;
        int prompts = 0;
        for (AgentEvent e : events) {
            if (e.kind() == EventKind.PROMPT) {
                prompts++;
                String id = e.turnId() != null ? e.turnId() : "pos:" + prompts;
                Turn t = byId.get(id);
                if (t == null) {
                    t = new Turn(id, byId.size() + 1);
                    byId.put(id, t);
                }
                t.add(e);
                current = t;
                continue;
            }
            Turn target;
            if (e.turnId() != null) {
                target = byId.get(e.turnId());
                if (target == null) {
                    if (!e.kind().makesStep() && e.kind() != EventKind.TURN_END && current == null) {
                        continue; // context before any prompt
                    }
                    target = new Turn(e.turnId(), byId.size() + 1);
                    byId.put(e.turnId(), target);
                    current = target;
                }
            } else if (current != null) {
                target = current;
            } else if (e.kind().makesStep()) {
                current = new Turn("pos:0", byId.size() + 1);
                byId.put(current.id(), current);
                target = current;
            } else {
                continue;
            }
            target.add(e);
        }
        return new ArrayList<>(byId.values());
    }
}
