package ai.infinium.connector.hook;

/** What a hook event asks of the flush worker. */
public enum FlushTrigger {
    NONE, TURN_END, SESSION_END;

    /** The flag name understood by {@code infinium flush --reason}. */
    public String reason() {
        return this == TURN_END ? "turn-end" : this == SESSION_END ? "session-end" : "none";
    }
}
