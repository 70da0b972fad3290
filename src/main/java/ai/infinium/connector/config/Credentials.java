package ai.infinium.connector.config;

/**
 * Resolved connection settings and where each came from ("env", "project file", the secret
 * store's kind, "default"), so {@code status} can explain them.
 */
public record Credentials(
        String agentId,
        String secret,
        String baseUrl,
        String granularity,
        String agentIdSource,
        String secretSource,
        String baseUrlSource,
        ProjectConfig project) {

    public static final String DEFAULT_BASE_URL = "https://platform.i42m.ai/api/v1";

    public boolean complete() {
        return agentId != null && secret != null;
    }

    /**
     * The Claude Code plugin's agent, resolved outside the plugin's hooks: its secret is with
     * Claude Code, which hands it to those hooks only, so its absence here is no fault.
     */
    public boolean secretOnlyInPluginHooks() {
        return secret == null && PluginOptions.SOURCE.equals(agentIdSource);
    }

    /** The secret as it may be shown: never more than its last four characters. */
    public String maskedSecret() {
        return mask(secret);
    }

    public static String mask(String s) {
        if (s == null) {
            return "(not set)";
        }
        return s.length() <= 8 ? "****" : "****" + s.substring(s.length() - 4);
    }
}
