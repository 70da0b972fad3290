package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.spool.SpooledEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Claude Code session's spool already holds, from hooks or from an earlier recovery:
 * which turns began and ended, which tool calls and subagents were reported, and the context
 * (session, transcript, permission mode) a rebuilt hook event must carry.
 */
final class RecordedHooks {
    private final List<AgentEvent> events = new ArrayList<>();
    private final List<String> turns = new ArrayList<>();
    private final Set<String> ended = new HashSet<>();
    private final Set<String> toolStarts = new HashSet<>();
    private final Set<String> toolEnds = new HashSet<>();
    private final Set<String> subagentStarts = new HashSet<>();
    private final Set<String> subagentStops = new HashSet<>();
    private final Set<String> notifiedSubagents = new HashSet<>();
    private final Map<String, String> permissionMode = new HashMap<>();
    private final Map<String, String> subagentTurns = new HashMap<>();
    private boolean promptNamed;
    private boolean promptUnnamed;
    private String sessionId;
    private String lastStoppedTurn;
    private String lastStopMessage;

    static RecordedHooks of(List<SpooledEvent> spooled) {
        RecordedHooks r = new RecordedHooks();
        for (SpooledEvent s : spooled) {
            r.add(ClaudeCodeAdapter.normalize(s));
        }
        return r;
    }

    /**
     * @param earlier events of settled turns read again for context: their prompts give a turn's
     *     permission mode and background-task notices, but do not make the turn one to complete
     */
    static RecordedHooks ofEvents(List<AgentEvent> earlier, List<AgentEvent> read) {
        RecordedHooks r = new RecordedHooks();
        for (AgentEvent e : earlier) {
            if (e.kind() == EventKind.PROMPT) {
                r.notices(e);
                if (e.turnId() != null && e.tags().get("permission_mode") != null) {
                    r.permissionMode.putIfAbsent(e.turnId(), e.tags().get("permission_mode"));
                }
            } else {
                r.add(e);
            }
        }
        read.forEach(r::add);
        return r;
    }

    /** A background subagent's result comes back as a prompt of its own, naming the agent. */
    private void notices(AgentEvent prompt) {
        promptNamed |= prompt.turnId() != null;
        promptUnnamed |= prompt.turnId() == null;
        String ids = prompt.tags().get(ClaudeCodeAdapter.BACKGROUND_TASK_IDS);
        if (ids != null && !ids.isEmpty()) {
            notifiedSubagents.addAll(List.of(ids.split(",")));
        }
    }

    private void add(AgentEvent e) {
        events.add(e);
        if (e.kind() == EventKind.SUBAGENT_START && e.subagentId() != null && e.turnId() != null) {
            subagentTurns.put(e.subagentId(), e.turnId());
        }
        sessionId = sessionId == null ? e.sessionId() : sessionId;
        String turn = e.turnId();
        switch (e.kind()) {
            case PROMPT:
                if (turn != null && !turns.contains(turn)) {
                    turns.add(turn);
                    permissionMode.put(turn, e.tags().get("permission_mode"));
                }
                notices(e);
                break;
            case TOOL_START:
                addId(toolStarts, e.toolUseId());
                break;
            case TOOL_END:
            case TOOL_FAILURE:
                addId(toolEnds, e.toolUseId());
                break;
            case SUBAGENT_START:
                addId(subagentStarts, e.subagentId());
                break;
            case SUBAGENT_STOP:
                addId(subagentStops, e.subagentId());
                break;
            case TURN_END:
                if (turn != null && e.output() != null && !e.output().isBlank()) {
                    lastStoppedTurn = turn; // a Stop with no answer (a local command) has nothing to wait for
                    lastStopMessage = e.output();
                }
                addId(ended, turn);
                break;
            case TURN_FAILURE:
                addId(ended, turn);
                break;
            default:
                break;
        }
    }

    private static void addId(Set<String> set, String id) {
        if (id != null) {
            set.add(id);
        }
    }

    /**
     * Whether a turn's hooks are all in: the agent ended it, a later prompt began, or the session
     * is over. Until then its tool events may still be on their way, and rebuilding one would
     * record it twice. A turn whose prompt is not in the spool (an earlier run of a resumed
     * session) is never over here: it is not this spool's to complete.
     */
    boolean turnOver(String turnId, boolean sessionOver) {
        int i = turnId == null ? -1 : turns.indexOf(turnId);
        return i >= 0 && (ended.contains(turnId) || i < turns.size() - 1 || sessionOver);
    }

    /**
     * Whether a subagent that reported its start belongs to a turn settled before what was read:
     * an incremental flush reads the spool from its cursor, which passes a turn only once the
     * turn is over and queued, so a SubagentStart without its turn's prompt (a context line kept
     * because the subagent was still running) is of a turn that is over. Only its stop can be
     * missing: its tool calls were read, and settled, by the flush that queued it.
     */
    boolean subagentOfEarlierTurn(String agentId) {
        String turn = subagentTurns.get(agentId);
        return turn != null && !turns.contains(turn);
    }

    /**
     * Whether the hooks name their prompts' turns ({@code prompt_id}). Without (Claude Code before
     * 2.1.196) no turn is known to be over, and nothing is ever rebuilt.
     */
    boolean nameTurns() {
        return promptNamed || !promptUnnamed;
    }

    boolean toolStarted(String toolUseId) {
        return toolStarts.contains(toolUseId);
    }

    boolean toolEnded(String toolUseId) {
        return toolEnds.contains(toolUseId);
    }

    boolean subagentStarted(String agentId) {
        return subagentStarts.contains(agentId);
    }

    boolean subagentStopped(String agentId) {
        return subagentStops.contains(agentId);
    }

    /** Whether the session has been told (in a prompt of its own) that a background subagent finished. */
    boolean subagentNotified(String agentId) {
        return notifiedSubagents.contains(agentId);
    }

    String permissionMode(String turnId) {
        return permissionMode.get(turnId);
    }

    String sessionId() {
        return sessionId;
    }

    /** The turn the newest answered Stop ended: the one this flush was most likely started for. */
    String lastStoppedTurn() {
        return lastStoppedTurn;
    }

    /** That Stop's {@code last_assistant_message}. */
    String lastStopMessage() {
        return lastStopMessage;
    }

    Path mainTranscript() {
        return ClaudeTranscriptUsage.mainTranscript(events);
    }

    /** The session's subagent transcripts as they are on disk now (new ones appear while it runs). */
    Set<Path> transcripts() {
        return ClaudeTranscriptUsage.transcripts(events);
    }
}
