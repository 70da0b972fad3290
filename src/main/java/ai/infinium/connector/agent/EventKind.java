package ai.infinium.connector.agent;

/** The agent-neutral meaning of a hook event. */
public enum EventKind {
    SESSION_START,
    PROMPT,
    TOOL_START,
    TOOL_END,
    TOOL_FAILURE,
    SUBAGENT_START,
    SUBAGENT_STOP,
    COMPACTION,
    TURN_END,
    TURN_FAILURE,
    SESSION_END,
    /** Recorded, carried no step (MessageDisplay, InstructionsLoaded, PostToolBatch, …). */
    OTHER;

    /** Whether the event becomes (part of) a step, and so must reach some trace. */
    public boolean makesStep() {
        return this != SESSION_START && this != SESSION_END && this != OTHER;
    }
}
