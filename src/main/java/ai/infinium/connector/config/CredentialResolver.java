package ai.infinium.connector.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Environment first (CI, Docker), then the project file found from the cwd, then the secret store;
 * last, in a project that names no agent of its own, the Claude Code plugin's options.
 */
public final class CredentialResolver {
    private final Map<String, String> env;
    private final SecretStore store;
    private final Supplier<PluginOptions> plugin;

    public CredentialResolver(Map<String, String> env, SecretStore store) {
        this(env, store, () -> PluginOptions.NONE);
    }

    /** @param plugin the plugin's options, asked for only when a project needs them */
    public CredentialResolver(Map<String, String> env, SecretStore store, Supplier<PluginOptions> plugin) {
        this.env = env;
        this.store = store;
        this.plugin = plugin;
    }

    public Credentials resolve(Path cwd) throws ConfigException {
        Optional<ProjectConfig> project = ProjectConfig.find(cwd);
        return resolve(project.orElse(null));
    }

    public Credentials resolve(ProjectConfig project) throws ConfigException {
        String agentId = envValue("INFINIUM_AGENT_ID");
        String agentIdSource = "env";
        if (project != null && !project.infinium()) {
            agentId = null; // the project said --no-infinium: an agent id in the environment does not undo that
        } else if (agentId == null && project != null) {
            agentId = project.agentId();
            agentIdSource = "project file";
        }
        // Only a project set up for tracing (its config exists) takes the plugin's agent: the
        // plugin's hooks fire in every project, and the others stay untraced.
        PluginOptions options = agentId == null && project != null && project.infinium() ? plugin.get() : PluginOptions.NONE;
        if (agentId == null && options.agentId() != null) {
            agentId = options.agentId();
            agentIdSource = PluginOptions.SOURCE;
        }
        String baseUrl = envValue("INFINIUM_BASE_URL");
        String baseUrlSource = "env";
        if (baseUrl == null && project != null && project.baseUrl() != null) {
            baseUrl = project.baseUrl();
            baseUrlSource = "project file";
        }
        if (baseUrl == null && options.baseUrl() != null) {
            baseUrl = options.baseUrl();
            baseUrlSource = PluginOptions.SOURCE;
        }
        if (baseUrl == null) {
            baseUrl = Credentials.DEFAULT_BASE_URL;
            baseUrlSource = "default";
        }
        String secret = envValue("INFINIUM_AGENT_SECRET");
        String secretSource = "env";
        if (secret == null && agentId != null) {
            try {
                secret = store.get(agentId).orElse(null);
            } catch (IOException e) {
                throw new ConfigException("cannot read the stored secret (" + store.describe() + "): " + ai.infinium.connector.diag.ErrorWords.of(e));
            }
            secretSource = store.kind();
        }
        if (secret == null && options.secretFor(agentId) != null) {
            secret = options.secretFor(agentId);
            secretSource = PluginOptions.SOURCE;
        }
        String granularity = new ConnectorSettings(env).granularity();
        if (granularity == null && project != null) {
            granularity = project.granularity();
        }
        return new Credentials(agentId, secret, stripSlash(baseUrl), granularity == null ? "turn" : granularity,
                agentId == null ? null : agentIdSource, secret == null ? null : secretSource, baseUrlSource, project);
    }

    private String envValue(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String stripSlash(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
