package ai.infinium.connector.cli;

import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.config.ProjectConfig;
import java.util.List;
import java.util.Optional;

/** {@code infinium update-credentials}: change this project's agent id and/or secret. */
final class UpdateCredentialsCommand implements Command {
    static final Options OPTIONS = Options.of(
            Option.value("--agent-id", "ID", "the new agent id"),
            Option.value("--agent-secret", "SECRET", "the new secret; `-` reads it from the first line of stdin"),
            Option.flag("--no-check", "save without asking the API"));

    private final BackgroundDelivery delivery;

    /** @param worker starts the detached flush worker that resends the traces the old credentials lost */
    UpdateCredentialsCommand(ai.infinium.connector.hook.HookCommand.JvmStarter worker) {
        this.delivery = new BackgroundDelivery(worker);
    }

    @Override
    public String name() {
        return "update-credentials";
    }

    @Override
    public String summary() {
        return "Change this project's agent id and/or secret";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium update-credentials [--agent-id ID] [--agent-secret SECRET]",
                "",
                "Changes the agent id in .infinium/config.json and/or the stored secret. What the flags",
                "do not give is asked for (Enter keeps the current value; the secret is not echoed).",
                "Traces of this project that the API rejected for the old credentials (401, 403, 404)",
                "are sent again in the background.",
                "",
                "The API is asked first (GET /agents/ID/health) whether it accepts them: refused ones are",
                "not saved (exit 1); when it cannot be reached they are saved and that is said.",
                "",
                OPTIONS.help());
    }

    @Override
    public Options declaredOptions() {
        return OPTIONS;
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = OPTIONS.parse(raw);
        Optional<ProjectConfig> found = ProjectConfig.find(io.cwd);
        if (found.isEmpty()) {
            io.err.println("infinium update-credentials: no .infinium/config.json here or above; run `infinium init` first");
            return FAILED;
        }
        ProjectConfig config = found.get();
        String agentId = args.value("--agent-id");
        String secret = args.value("--agent-secret");
        if ("-".equals(secret)) {
            secret = new Wizard(io, false).secretFromStdin();
        }
        boolean asked = agentId == null && secret == null;
        if (agentId == null && asked) {
            agentId = InitCommand.firstNonBlank(io.ask("Agent id [" + config.agentId() + "]: "), null);
        }
        if (secret == null && asked) {
            secret = InitCommand.firstNonBlank(io.askSecret("Agent secret (input hidden, Enter keeps the current one): "),
                    null);
        }
        String newId = agentId == null ? config.agentId() : agentId.trim();
        if (newId == null || InfiniumSetup.agentIdProblem(newId) != null) {
            throw new UsageException("--agent-id: " + InfiniumSetup.agentIdProblem(newId == null ? "" : newId));
        }
        if (secret != null && InfiniumSetup.secretProblem(secret.trim()) != null) {
            throw new UsageException("--agent-secret: " + InfiniumSetup.secretProblem(secret.trim()));
        }
        boolean idChanged = !newId.equals(config.agentId());
        String oldSecret = config.agentId() == null ? null : io.ctx.secrets().get(config.agentId()).orElse(null);
        if (secret == null && idChanged) {
            secret = oldSecret; // the secret follows the project to its new agent id
        }
        if (secret == null && !idChanged) {
            io.say("Nothing changed.");
            return OK;
        }
        if (secret == null) {
            io.err.println("infinium update-credentials: no secret stored for the new agent id; give --agent-secret");
            return FAILED;
        }
        if (!args.has("--no-check") && InfiniumSetup.check(io, new Wizard(io, false), newId, secret.trim(),
                io.ctx.resolver().resolve(config.projectDir()).baseUrl()) == null) {
            return FAILED;
        }
        io.ctx.secrets().put(newId, secret.trim());
        if (idChanged) {
            new ProjectConfig(config.projectDir(), newId, config.baseUrl(), config.granularity(), config.redaction(),
                    config.otlp(), true).write();
        }
        ai.infinium.connector.config.ProjectIndex.of(io.ctx.dirs()).record(config.projectDir(), newId);
        io.say("Credentials updated for " + config.projectDir() + ": agent " + newId + ", secret "
                + Credentials.mask(secret.trim()) + " (" + io.ctx.secrets().describe() + ")");
        delivery.sayRequeued(io, delivery.requeueRejectedOf(io.ctx, io.ctx.resolver().resolve(config.projectDir())));
        if (idChanged && config.agentId() != null && oldSecret != null) {
            io.say("The secret of the previous agent id " + config.agentId() + " is still stored for other projects "
                    + "that may use it; `infinium uninstall` in such a project removes it.");
        }
        if (io.ctx.env().get("INFINIUM_AGENT_ID") != null || io.ctx.env().get("INFINIUM_AGENT_SECRET") != null) {
            io.say("Note: INFINIUM_AGENT_ID / INFINIUM_AGENT_SECRET are set in this environment and override these.");
        }
        return OK;
    }
}
