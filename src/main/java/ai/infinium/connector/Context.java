package ai.infinium.connector;

import ai.infinium.connector.config.ConnectorSettings;
import ai.infinium.connector.config.CredentialResolver;
import ai.infinium.connector.config.SystemSecretStore;
import ai.infinium.connector.config.SecretStore;
import ai.infinium.connector.config.UserDirs;
import ai.infinium.connector.diag.ErrorLog;
import ai.infinium.connector.export.Deliverer;
import ai.infinium.connector.export.Exporter;
import ai.infinium.connector.export.History;
import ai.infinium.connector.export.Outbox;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.export.infinium.InfiniumExporter;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What every command works with, built from one environment map: directories, settings, the
 * secret store, the outbox and history, and the exporter. Tests build it with their own
 * environment and exporter; nothing here is global.
 */
public final class Context {
    private final Map<String, String> env;
    private final UserDirs dirs;
    private final SecretStore secrets;
    private final java.util.function.Supplier<Exporter> exporterFactory;
    private Exporter exporter;
    private final LongSupplier clock;

    public Context(Map<String, String> env) {
        // The HTTP client is built on first use: most commands (and --version) never send anything.
        this(env, null, () -> new InfiniumExporter(Version.get()), System::currentTimeMillis);
    }

    public Context(Map<String, String> env, SecretStore secrets, Exporter exporter, LongSupplier clock) {
        this(env, secrets, () -> exporter, clock);
    }

    private Context(Map<String, String> env, SecretStore secrets, java.util.function.Supplier<Exporter> exporter,
            LongSupplier clock) {
        this.env = Map.copyOf(env);
        this.dirs = new UserDirs(this.env);
        this.secrets = secrets != null ? secrets : new SystemSecretStore(dirs, this.env);
        this.exporterFactory = exporter;
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

    public synchronized Exporter exporter() {
        if (exporter == null) {
            exporter = exporterFactory.get();
        }
        return exporter;
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
        return new CredentialResolver(env, secrets);
    }

    public Deliverer deliverer() {
        return new Deliverer(outbox(), history(), exporter(), this::secretFor, log(), clock);
    }

    /** The environment's secret when it is for this entry's agent, else the stored one. */
    Optional<String> secretFor(OutboxEntry e) {
        String envSecret = env.get("INFINIUM_AGENT_SECRET");
        String envAgent = env.get("INFINIUM_AGENT_ID");
        if (envSecret != null && !envSecret.isBlank() && (envAgent == null || envAgent.isBlank()
                || envAgent.trim().equals(e.agentId()))) {
            return Optional.of(envSecret.trim());
        }
        try {
            return secrets.get(e.agentId());
        } catch (IOException ex) {
            log().error("cannot read the stored secret for agent " + e.agentId() + ": " + ex.getMessage());
            return Optional.empty();
        }
    }
}
