package ai.infinium.connector.agent;

import ai.infinium.connector.spool.SpooledEvent;

/**
 * What Claude Code's hook payloads and those of the agents that copied their shape (Qwen Code)
 * carry alike: the fields every event has ({@code session_id}, {@code prompt_id}, {@code cwd},
 * {@code transcript_path}, {@code permission_mode}, {@code model}, a subagent's {@code agent_id}),
 * and the session, subagent, compaction and stop events, read the same way for each. Prompts
 * and tool calls differ by agent (tool names, result shapes): each adapter reads those itself.
 */
public final class ClaudeStylePayloads {
    private ClaudeStylePayloads() {}

    /** An event of {@code kind} with the fields every payload of this shape has. */
    public static AgentEvent.Builder common(SpooledEvent s, EventKind kind) {
        AgentEvent.Builder b = AgentEvent.of(kind, s.line(), s.receivedAt(), s.receivedAtMillis())
                .session(s.text("session_id"))
                .turn(s.text("prompt_id"))
                .cwd(s.text("cwd"))
                .name(s.text("hook_event_name"))
                .tag("permission_mode", s.text("permission_mode"))
                .tag("transcript_path", s.text("transcript_path"))
                .tag("model", s.text("model"))
                .tag(AgentEvent.RECOVERED_FROM, s.recovered())
                .tag(AgentEvent.PLANNED, s.planned() ? "true" : null);
        if (s.event().hasNonNull("agent_id")) {
            b.subagent(s.text("agent_id"), s.text("agent_type"));
        }
        return b;
    }

    /**
     * Fills the session, subagent, compaction and stop events; returns false for the other kinds,
     * which the agent's adapter reads.
     */
    public static boolean lifecycle(SpooledEvent s, EventKind kind, AgentEvent.Builder b) {
        switch (kind) {
            case SESSION_START:
                b.tag("session_source", s.text("source"));
                return true;
            case SUBAGENT_START:
                b.name(s.text("agent_type"));
                return true;
            case SUBAGENT_STOP:
                b.name(s.text("agent_type")).output(s.text("last_assistant_message"))
                        .tag("agent_transcript_path", s.text("agent_transcript_path"));
                return true;
            case COMPACTION:
                b.input(s.text("trigger")).output(s.text("compact_summary"));
                return true;
            case TURN_END:
                b.output(s.text("last_assistant_message"));
                return true;
            case SESSION_END:
                b.tag("session_end_reason", s.text("reason"));
                return true;
            default:
                return false;
        }
    }
}
