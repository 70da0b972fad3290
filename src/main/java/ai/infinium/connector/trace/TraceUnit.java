package ai.infinium.connector.trace;

import ai.infinium.connector.agent.AgentEvent;
import java.util.List;
import java.util.Set;

/**
 * What one trace will cover.
 *
 * @param stepEvents the not-yet-sent events that become its steps, late ones of earlier turns first
 * @param usageTurnIds turns whose not-yet-counted API responses this trace may count
 * @param lateEvents how many of the step events belong to turns sent earlier
 */
public record TraceUnit(
        String key,
        List<Turn> turns,
        List<AgentEvent> stepEvents,
        Set<String> usageTurnIds,
        int lateEvents,
        Granularity granularity) {}
