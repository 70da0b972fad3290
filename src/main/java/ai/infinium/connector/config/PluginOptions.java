package ai.infinium.connector.config;

import java.util.List;
import java.util.Map;

/**
 * The infinium Claude Code plugin's options ({@code userConfig} in its {@code plugin.json}): an
 * agent id, its secret (a {@code sensitive} option, which Claude Code keeps in its own secure
 * storage) and a base URL. Claude Code hands them only to the plugin's hooks, as
 * {@code CLAUDE_PLUGIN_OPTION_<KEY>}; outside a hook only the non-sensitive ones can be read, from
 * Claude Code's settings. They are the credentials of last resort: used only in a project that
 * has its {@code .infinium/config.json} and names no agent of its own (see {@link CredentialResolver}).
 *
 * @param agentId null when not set
 * @param secret null when not set, or when read outside a plugin hook
 * @param baseUrl null when not set
 * @param where where they were read: {@link #HOOK_ENVIRONMENT} or a settings file
 */
public record PluginOptions(String agentId, String secret, String baseUrl, String where) {
    /** The option keys, as {@code plugin.json} declares them ({@code ClaudePluginFilesTest} keeps the two equal). */
    public static final String AGENT_ID = "agent_id";
    public static final String AGENT_SECRET = "agent_secret";
    public static final String BASE_URL = "base_url";
    public static final List<String> KEYS = List.of(AGENT_ID, AGENT_SECRET, BASE_URL);

    /** How Claude Code 2.1.330 names an option in a plugin hook's environment. */
    static final String ENV_PREFIX = "CLAUDE_PLUGIN_OPTION_";

    /** What status and doctor call this source of credentials. */
    public static final String SOURCE = "Claude Code plugin options";

    public static final String HOOK_ENVIRONMENT = "the plugin hook's environment";

    public static final PluginOptions NONE = new PluginOptions(null, null, null, null);

    public PluginOptions {
        agentId = blankToNull(agentId);
        secret = blankToNull(secret);
        baseUrl = blankToNull(baseUrl);
    }

    /** The options as a plugin hook (and the flush it starts) receives them; {@link #NONE} elsewhere. */
    public static PluginOptions fromHookEnvironment(Map<String, String> env) {
        PluginOptions o = new PluginOptions(env.get(envName(AGENT_ID)), env.get(envName(AGENT_SECRET)),
                env.get(envName(BASE_URL)), HOOK_ENVIRONMENT);
        return o.isEmpty() ? NONE : o;
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(java.util.Locale.ROOT);
    }

    public boolean isEmpty() {
        return agentId == null && secret == null && baseUrl == null;
    }

    /** The secret, when it is this agent's: the plugin's secret goes with the plugin's agent id only. */
    public String secretFor(String agent) {
        return agent != null && agent.equals(agentId) ? secret : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
