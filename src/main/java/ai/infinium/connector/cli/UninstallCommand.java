package ai.infinium.connector.cli;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.Agents;
import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.config.ProjectConfig;
import ai.infinium.connector.config.ProjectIndex;
import ai.infinium.connector.export.Outbox;
import ai.infinium.connector.export.OutboxEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code infinium uninstall}: takes out exactly what this connector put into the project (our
 * hooks, .infinium/, the stored secret, traces that could no longer be sent). Every other hook
 * and key of the user's settings files stays. Running it twice is harmless.
 */
final class UninstallCommand implements Command {
    static final Options OPTIONS = Options.of(Option.flag("--yes", "do not ask").alias("-y"));

    @Override
    public String name() {
        return "uninstall";
    }

    @Override
    public String summary() {
        return "Remove this connector's hooks, project config and stored secret";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium uninstall [-y]",
                "",
                "Removes from the project found from the current directory: our hooks (every other hook",
                "and setting in the agents' files stays), .infinium/, unsent traces of this project, and",
                "the agent's stored secret unless another project on this machine (a clone, a worktree)",
                "uses the same agent id. Codex's [features] and [projects] settings in config.toml are",
                "left as they are (other hooks may rely on them). Asks first.",
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
        Optional<ProjectConfig> config = ProjectConfig.find(io.cwd);
        Path project = config.map(ProjectConfig::projectDir).orElse(io.cwd.toAbsolutePath().normalize());
        List<HookInstaller> installers = new ArrayList<>();
        List<String> plan = new ArrayList<>();
        List<String> staying = new ArrayList<>();
        for (AgentAdapter a : Agents.all()) {
            HookInstaller installer = a.installer(project, io.ctx.env(), io.ctx.dirs().home());
            String kept = installer.installedEvents() > 0 ? installer.keptFor() : null;
            if (kept != null) {
                staying.add(a.displayName() + " hooks in " + installer.hooksFile() + " stay: " + kept);
            } else if (installer.installedEvents() > 0) {
                installers.add(installer);
                plan.add(a.displayName() + " hooks in " + installer.hooksFile());
            }
        }
        Path dotInfinium = project.resolve(ProjectConfig.DIR);
        if (Files.isDirectory(dotInfinium)) {
            plan.add(dotInfinium + "/");
        }
        String agentId = config.map(ProjectConfig::agentId).orElse(null);
        boolean hasSecret = agentId != null && io.ctx.secrets().get(agentId).isPresent();
        ProjectIndex index = ProjectIndex.of(io.ctx.dirs());
        List<Path> sharing = hasSecret ? index.othersUsing(agentId, project) : List.of();
        if (hasSecret && sharing.isEmpty()) {
            plan.add("the secret of agent " + agentId + " (" + io.ctx.secrets().kind() + ")");
        }
        List<String> otlpSecrets = config.map(ProjectConfig::otlp).map(o -> o.secretHeaders()).orElse(List.of());
        if (!otlpSecrets.isEmpty()) {
            plan.add("the stored value of OTLP header" + (otlpSecrets.size() == 1 ? " " : "s ")
                    + String.join(", ", otlpSecrets) + " (" + io.ctx.secrets().kind() + ")");
        }
        if (plan.isEmpty()) {
            io.say("Nothing of infinium to remove in " + project + ".");
            return OK;
        }
        io.say("This removes from " + project + ":");
        plan.forEach(p -> io.say("  - " + p));
        staying.forEach(io::say);
        if (!sharing.isEmpty()) {
            io.say("The secret of agent " + agentId + " stays: " + sharing.get(0)
                    + (sharing.size() > 1 ? " and " + (sharing.size() - 1) + " other project(s)" : "")
                    + " still use it; uninstalling the last of them removes it.");
        }
        if (!args.has("--yes")) {
            String answer = io.ask("Remove? [y/N]: ");
            if (answer == null || !answer.toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
                io.say("Nothing removed.");
                return FAILED;
            }
        }
        for (HookInstaller installer : installers) {
            installer.uninstall();
            deleteIfEmptyObject(installer.hooksFile());
        }
        int dropped = dropUnsendable(io.ctx.outbox(), project, agentId);
        if (hasSecret && sharing.isEmpty()) {
            io.ctx.secrets().delete(agentId);
        }
        for (String header : otlpSecrets) {
            io.ctx.secrets().delete(ai.infinium.connector.config.OtlpConfig.secretAccount(project, header));
        }
        FileTrees.delete(dotInfinium);
        index.forget(project);
        io.say("Removed." + (dropped > 0 ? " " + dropped + " unsent trace(s) of this project were discarded." : ""));
        return OK;
    }

    /** A settings file we created holds nothing once our hooks are gone: do not leave "{}" behind. */
    private static void deleteIfEmptyObject(Path file) throws IOException {
        if (Files.isRegularFile(file) && Files.readString(file).replaceAll("\\s", "").equals("{}")) {
            Files.delete(file);
        }
    }

    private static int dropUnsendable(Outbox outbox, Path project, String agentId) throws IOException {
        int n = 0;
        for (OutboxEntry e : outbox.list()) {
            if (project.toString().equals(e.projectDir()) && (agentId == null
                    || !OutboxEntry.INFINIUM.equals(e.exporter()) || agentId.equals(e.agentId()))) {
                outbox.remove(e.id());
                n++;
            }
        }
        return n;
    }
}
