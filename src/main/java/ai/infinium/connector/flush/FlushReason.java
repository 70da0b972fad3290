package ai.infinium.connector.flush;

/** Why a flush runs; a stale session is treated as ended. */
public enum FlushReason {
    TURN_END, SESSION_END, STALE, MANUAL;

    public static FlushReason parse(String s) {
        if (s == null) {
            return MANUAL;
        }
        switch (s) {
            case "turn-end": return TURN_END;
            case "session-end": return SESSION_END;
            case "stale": return STALE;
            default: return MANUAL;
        }
    }
}
