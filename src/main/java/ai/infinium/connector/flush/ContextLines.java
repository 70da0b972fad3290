package ai.infinium.connector.flush;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which events before the spool cursor a later flush still needs, and so re-reads by offset:
 * the first or last event that gave the session each of its facts (id, working directory,
 * source, model, transcript paths, the last prompt and session end, which decide whether the
 * session is over) and every tool call or subagent still waiting for its result, which a late
 * PostToolUse or SubagentStop pairs with. A handful of lines, however long the session; plus
 * the prompt of each running subagent's turn, and every event rebuilt by recovery (as many as hooks were lost), so that a delivered twin of one
 * arriving late is still recognised and dropped.
 */
final class ContextLines {
    private ContextLines() {}

    /** @param before the events before the cursor (those re-read last time, then the new ones), in line order */
    static List<AgentEvent> select(List<AgentEvent> before) {
        Map<String, AgentEvent> first = new LinkedHashMap<>();
        Map<String, AgentEvent> last = new LinkedHashMap<>();
        Map<String, AgentEvent> openTools = new LinkedHashMap<>();
        Map<String, AgentEvent> openSubagents = new LinkedHashMap<>();
        Set<String> endedTools = new HashSet<>();
        Set<String> stoppedSubagents = new HashSet<>();
        Map<Integer, AgentEvent> recovered = new LinkedHashMap<>();
        Map<String, AgentEvent> prompts = new LinkedHashMap<>();
        for (AgentEvent e : before) {
            if (e.recoveredFrom() != null) {
                recovered.put(e.line(), e); // so a delivered twin that turns up later is known for one
            }
            if (e.sessionId() != null) {
                first.putIfAbsent("session", e);
            }
            if (e.cwd() != null) {
                first.putIfAbsent("cwd", e);
                if (e.kind() == EventKind.SESSION_START) {
                    first.putIfAbsent("start-cwd", e);
                }
            }
            if (e.tags().containsKey("model")) {
                last.put("model", e);
            }
            String path = e.tags().get("transcript_path");
            if (path != null) {
                last.put("transcript", e);
                first.putIfAbsent("transcript:" + path, e);
                if (e.subagentId() == null) {
                    first.putIfAbsent("main-transcript", e);
                }
            }
            String agentPath = e.tags().get("agent_transcript_path");
            if (agentPath != null) {
                first.putIfAbsent("agent-transcript:" + agentPath, e);
            }
            switch (e.kind()) {
                case SESSION_START:
                    if (e.tags().containsKey("session_source")) {
                        last.put("source", e);
                    }
                    break;
                case PROMPT:
                    last.put("prompt", e);
                    if (e.turnId() != null) {
                        prompts.putIfAbsent(e.turnId(), e);
                    }
                    break;
                case SESSION_END:
                    last.put("end", e);
                    break;
                case TOOL_START:
                    if (e.toolUseId() != null && !endedTools.contains(e.toolUseId())) {
                        openTools.putIfAbsent(e.toolUseId(), e);
                    }
                    break;
                case TOOL_END:
                case TOOL_FAILURE:
                    if (e.toolUseId() != null) {
                        endedTools.add(e.toolUseId());
                        openTools.remove(e.toolUseId());
                    }
                    break;
                case SUBAGENT_START:
                    if (e.subagentId() != null && !stoppedSubagents.contains(e.subagentId())) {
                        openSubagents.putIfAbsent(e.subagentId(), e);
                    }
                    break;
                case SUBAGENT_STOP:
                    if (e.subagentId() != null) {
                        stoppedSubagents.add(e.subagentId());
                        openSubagents.remove(e.subagentId());
                    }
                    break;
                default:
                    break;
            }
        }
        TreeMap<Integer, AgentEvent> byLine = new TreeMap<>();
        for (Map<String, AgentEvent> m : List.of(first, last, openTools, openSubagents)) {
            m.values().forEach(e -> byLine.put(e.line(), e));
        }
        recovered.values().forEach(e -> byLine.put(e.line(), e));
        for (AgentEvent e : openSubagents.values()) {
            AgentEvent prompt = e.turnId() == null ? null : prompts.get(e.turnId());
            if (prompt != null) {
                byLine.put(prompt.line(), prompt); // what recovery needs to rebuild its stop: the turn's permission mode
            }
        }
        return List.copyOf(byLine.values());
    }
}
