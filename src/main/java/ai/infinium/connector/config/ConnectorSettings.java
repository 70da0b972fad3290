package ai.infinium.connector.config;

import java.util.Map;

/** The {@code CONNECTOR_*} behaviour settings, read from the environment with the seeds' defaults. */
public final class ConnectorSettings {
    public static final long DEFAULT_SESSION_TTL_SECONDS = 3600;
    public static final int DEFAULT_OUTPUT_PREVIEW = 300;

    private final Map<String, String> env;

    public ConnectorSettings(Map<String, String> env) {
        this.env = env;
    }

    public boolean quiet() {
        return bool("CONNECTOR_QUIET", false);
    }

    public boolean flushOnStop() {
        return bool("CONNECTOR_FLUSH_ON_STOP", true);
    }

    public boolean flushOnSessionEnd() {
        return bool("CONNECTOR_FLUSH_ON_SESSION_END", true);
    }

    public long sessionTtlSeconds() {
        return number("CONNECTOR_SESSION_TTL", DEFAULT_SESSION_TTL_SECONDS);
    }

    /** Characters kept of prompts and tool inputs; the agent decides the default. */
    public int maxInputPreview(int agentDefault) {
        return (int) number("CONNECTOR_MAX_INPUT_PREVIEW", agentDefault);
    }

    public int maxOutputPreview() {
        return (int) number("CONNECTOR_MAX_OUTPUT_PREVIEW", DEFAULT_OUTPUT_PREVIEW);
    }

    public static final String REDACT = "CONNECTOR_REDACT";

    /** {@code CONNECTOR_REDACT} as a switch: null when unset or not a yes/no word. */
    public Boolean redact() {
        String v = env.get(REDACT);
        return v == null || v.isBlank() ? null : word(v);
    }

    /** The raw value, for {@code status} to quote when it is not understood. */
    public String redactValue() {
        return env.get(REDACT);
    }

    /** {@code turn} or {@code session}; null when the environment does not say. */
    public String granularity() {
        String v = env.get("CONNECTOR_GRANULARITY");
        if (v == null || v.isBlank()) {
            return null;
        }
        String g = v.trim().toLowerCase(java.util.Locale.ROOT);
        return g.equals("session") || g.equals("turn") ? g : null;
    }

    private boolean bool(String name, boolean dflt) {
        String v = env.get(name);
        Boolean b = v == null || v.isBlank() ? null : word(v);
        return b == null ? dflt : b;
    }

    private static Boolean word(String v) {
        String s = v.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("1") || s.equals("true") || s.equals("yes") || s.equals("on")) {
            return true;
        }
        if (s.equals("0") || s.equals("false") || s.equals("no") || s.equals("off")) {
            return false;
        }
        return null;
    }

    private long number(String name, long dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            return n >= 0 ? n : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
