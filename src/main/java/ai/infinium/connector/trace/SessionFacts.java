package ai.infinium.connector.trace;

import ai.infinium.connector.agent.AgentEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the traces of one flush take from the whole session rather than from their own events:
 * the partner of each tool call and subagent (a late PostToolUse pairs with a PreToolUse sent
 * long ago) and the session's environment. Computed once per flush, not once per trace.
 */
public final class SessionFacts {
    final Map<String, AgentEvent> toolEnds = new HashMap<>();
    final Map<String, AgentEvent> toolStarts = new HashMap<>();
    final Map<String, AgentEvent> subagentStops = new HashMap<>();
    final Map<String, AgentEvent> subagentStarts = new HashMap<>();
    String sessionId;
    String startCwd;
    String source;
    String model;

    private SessionFacts() {}

    /** @param events the session's events in line order (or those of them later traces need) */
    public static SessionFacts of(List<AgentEvent> events) {
        SessionFacts f = new SessionFacts();
        for (AgentEvent e : events) {
            f.add(e);
        }
        return f;
    }

    /** The model to name when the events name none and a trace counts no response (a failed turn). */
    public SessionFacts orModel(String fallback) {
        if (model == null) {
            model = fallback;
        }
        return this;
    }

    private void add(AgentEvent e) {
        if (sessionId == null) {
            sessionId = e.sessionId();
        }
        String m = e.tags().get("model");
        if (m != null) {
            model = m;
        }
        switch (e.kind()) {
            case SESSION_START:
                String s = e.tags().get("session_source");
                if (s != null) {
                    source = s;
                }
                if (startCwd == null) {
                    startCwd = e.cwd();
                }
                break;
            case TOOL_END:
            case TOOL_FAILURE:
                if (e.toolUseId() != null) {
                    toolEnds.putIfAbsent(e.toolUseId(), e);
                }
                break;
            case TOOL_START:
                if (e.toolUseId() != null) {
                    toolStarts.putIfAbsent(e.toolUseId(), e);
                }
                break;
            case SUBAGENT_STOP:
                if (e.subagentId() != null) {
                    subagentStops.putIfAbsent(e.subagentId(), e);
                }
                break;
            case SUBAGENT_START:
                if (e.subagentId() != null) {
                    subagentStarts.putIfAbsent(e.subagentId(), e);
                }
                break;
            default:
                break;
        }
    }
}
