package ai.infinium.connector.trace;

/** One trace per prompt→response cycle, or one per session. */
public enum Granularity {
    TURN, SESSION;

    public static Granularity parse(String s, Granularity dflt) {
        if (s == null) {
            return dflt;
        }
        switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "turn": return TURN;
            case "session": return SESSION;
            default: return dflt;
        }
    }
}
