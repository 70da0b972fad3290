package ai.infinium.connector;

import ai.infinium.connector.config.ConnectorSettings;
import ai.infinium.connector.config.CredentialResolver;
import ai.infinium.connector.config.PluginOptions;
import ai.infinium.connector.config.SystemSecretStore;
import ai.infinium.connector.config.SecretStore;
import ai.infinium.connector.config.UserDirs;
import ai.infinium.connector.diag.ErrorLog;
import ai.infinium.connector.export.Deliverer;
import ai.infinium.connector.export.History;
import ai.infinium.connector.export.Outbox;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.export.infinium.InfiniumApi;
import ai.infinium.connector.export.infinium.InfiniumExporter;
import ai.infinium.connector.export.otlp.HeaderLookup;
import ai.infinium.connector.export.otlp.OtlpExporter;
import ai.infinium.connector.export.otlp.OtlpHttpSender;
import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.OtlpDestination;
import ai.infinium.connector.config.ProjectConfig;
import java.nio.file.Path;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What every command works with, built from one environment map: directories, settings, the
 * secret store, the outbox and history, and the exporters. Tests build it with their own
 * environment and API clients; nothing here is global.
 */
public final class Context {
    private final Map<String, String> env;
    private final UserDirs dirs;
    private final SecretStore secrets;
    private final java.util.function.Supplier<InfiniumApi> infiniumFactory;
    private InfiniumApi infinium;
    private final java.util.function.Supplier<OtlpHttpSender> otlpFactory;
    private final LongSupplier clock;

    public Context(Map<String, String> env) {
        // The HTTP client is built on first use: most commands (and --version) never send anything.
        this(env, null, () -> new InfiniumApi(Version.get()), null, System::currentTimeMillis);
    }

    public Context(Map<String, String> env, SecretStore secrets, InfiniumApi infinium, LongSupplier clock) {
        this(env, secrets, () -> infinium, null, clock);
    }

    /** @param otlp the OTLP sender to use, for tests with a retry measured in milliseconds */
    public Context(Map<String, String> env, SecretStore secrets, InfiniumApi infinium, OtlpHttpSender otlp,
            LongSupplier clock) {
        this(env, secrets, () -> infinium, () -> otlp, clock);
    }

    private Context(Map<String, String> env, SecretStore secrets, java.util.function.Supplier<InfiniumApi> infinium,
            java.util.function.Supplier<OtlpHttpSender> otlp, LongSupplier clock) {
        this.env = Map.copyOf(env);
        this.dirs = new UserDirs(this.env);
        this.secrets = secrets != null ? secrets : new SystemSecretStore(dirs, this.env);
        this.infiniumFactory = infinium;
        this.otlpFactory = otlp;
        this.clock = clock;
    }

    public Map<String, String> env() {
        return env;
    }

    public UserDirs dirs() {
        return dirs;
    }

    public ConnectorSettings settings() {
        return new ConnectorSettings(env);
    }

    public SecretStore secrets() {
        return secrets;
    }

    /** The Infinium API's client, for traces, the connection test and credential checks. */
    public synchronized InfiniumApi infiniumApi() {
        if (infinium == null) {
            infinium = infiniumFactory.get();
        }
        return infinium;
    }

    public LongSupplier clock() {
        return clock;
    }

    public ErrorLog log() {
        return new ErrorLog(dirs.state());
    }

    public Outbox outbox() {
        return new Outbox(dirs.state().resolve("outbox"));
    }

    public History history() {
        return new History(dirs.state().resolve("history.jsonl"));
    }

    public CredentialResolver resolver() {
        return new CredentialResolver(env, secrets, this::pluginOptions);
    }

    /**
     * The Claude Code plugin's options: all of them in one of its hooks (and the flush that hook
     * starts); elsewhere the ones Claude Code's settings show, which never include the secret.
     */
    public PluginOptions pluginOptions() {
        PluginOptions inHook = PluginOptions.fromHookEnvironment(env);
        return !inHook.isEmpty() ? inHook
                : ai.infinium.connector.agent.claude.ClaudePlugin.configuredOptions(env, dirs.home());
    }

    /** Delivers through every exporter; each run asks the secret store at most once per agent. */
    public Deliverer deliverer() {
        Map<String, Optional<String>> secretByAgent = new java.util.HashMap<>();
        java.util.function.Function<OutboxEntry, Optional<String>> secret = e -> {
            synchronized (secretByAgent) { // one lookup at a time: the keyring is not asked by four threads
                return secretByAgent.computeIfAbsent(String.valueOf(e.agentId()), k -> secretFor(e));
            }
        };
        return new Deliverer(outbox(), history(), java.util.List.of(new InfiniumExporter(this::infiniumApi, secret),
                otlpExporter(false)), log(), clock);
    }

    /**
     * The OTLP exporter, with its headers looked up per project at send time.
     *
     * @param watched for a person waiting ({@code infinium test}): one retry at most, short pauses
     */
    public OtlpExporter otlpExporter(boolean watched) {
        return new OtlpExporter(otlpHeaders(), () -> otlpSender(watched), Version.get(), OtlpExporter::localHostName);
    }

    /** The OTLP/HTTP client: the one this context was given, else a real one with the configured timeout. */
    public OtlpHttpSender otlpSender(boolean watched) {
        return otlpFactory != null ? otlpFactory.get()
                : OtlpHttpSender.create(new OtlpDestination(env).timeout(), Version.get(), watched);
    }

    /** Each project's headers, read once per run however many of its traces go out. */
    private HeaderLookup otlpHeaders() {
        OtlpDestination otlp = new OtlpDestination(env);
        Map<String, Map<String, String>> headersByProject = new java.util.HashMap<>();
        return e -> {
            synchronized (headersByProject) {
                Map<String, String> h = headersByProject.get(String.valueOf(e.projectDir()));
                if (h == null) {
                    try {
                        ProjectConfig project = e.projectDir() == null ? null : ProjectConfig.read(Path.of(e.projectDir()));
                        h = otlp.headers(project, secrets);
                    } catch (ConfigException | IOException ex) {
                        throw new HeaderLookup.MissingHeadersException("the OTLP headers of " + e.projectDir()
                                + " cannot be read: " + ex.getMessage());
                    }
                    headersByProject.put(String.valueOf(e.projectDir()), h);
                }
                return h;
            }
        };
    }

    /**
     * The environment's secret when it is for this entry's agent, else the stored one, else the
     * plugin's when this is the plugin's agent (so a trace queued by a plugin hook's flush waits for
     * the next plugin hook when no other process has the secret).
     */
    Optional<String> secretFor(OutboxEntry e) {
        String envSecret = env.get("INFINIUM_AGENT_SECRET");
        String envAgent = env.get("INFINIUM_AGENT_ID");
        if (envSecret != null && !envSecret.isBlank() && (envAgent == null || envAgent.isBlank()
                || envAgent.trim().equals(e.agentId()))) {
            return Optional.of(envSecret.trim());
        }
        Optional<String> stored;
        try {
            stored = secrets.get(e.agentId());
        } catch (IOException ex) {
            log().error("cannot read the stored secret for agent " + e.agentId() + ": " + ex.getMessage());
            stored = Optional.empty();
        }
        return stored.isPresent() ? stored
                : Optional.ofNullable(PluginOptions.fromHookEnvironment(env).secretFor(e.agentId()));
    }
}
