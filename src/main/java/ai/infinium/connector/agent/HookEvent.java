package ai.infinium.connector.agent;

import ai.infinium.connector.hook.FlushTrigger;
import java.util.HashMap;
import java.util.Map;

/**
 * One row of an agent's event table: the hook event's name as the agent spells it, what it means
 * to a trace, and what it asks of the flush. Each agent declares its events once, in one enum,
 * and its installer, adapter and hook profile all read that table.
 */
public interface HookEvent {
    /**
     * @param kind what the event is when the main agent fires it (an adapter may read a
     *     subagent's otherwise)
     */
    record Row(String hookName, EventKind kind, FlushTrigger trigger) {}

    Row row();

    default String hookName() {
        return row().hookName();
    }

    default EventKind kind() {
        return row().kind();
    }

    default FlushTrigger trigger() {
        return row().trigger();
    }

    /** A table's rows by hook event name, for the hook's lookups. */
    static <E extends HookEvent> Map<String, E> byName(E[] rows) {
        Map<String, E> m = new HashMap<>();
        for (E e : rows) {
            m.put(e.hookName(), e);
        }
        return m;
    }
}
