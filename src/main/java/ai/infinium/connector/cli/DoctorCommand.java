package ai.infinium.connector.cli;

import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.cli.doctor.ApiChecks;
import ai.infinium.connector.cli.doctor.Check;
import ai.infinium.connector.cli.doctor.ClaudeFolderTrust;
import ai.infinium.connector.cli.doctor.DoctorReport;
import ai.infinium.connector.cli.doctor.LauncherChecks;
import ai.infinium.connector.cli.doctor.OtlpReachability;
import ai.infinium.connector.cli.doctor.OutboxCheck;
import ai.infinium.connector.cli.doctor.ServerCheck;
import ai.infinium.connector.cli.doctor.SessionDirCheck;
import ai.infinium.connector.cli.doctor.TerminalColour;
import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.config.OtlpDestination;
import ai.infinium.connector.config.ProjectConfig;
import ai.infinium.connector.export.Outbox;
import ai.infinium.connector.hook.ProjectPause;
import ai.infinium.connector.redact.RedactionPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code infinium doctor}: everything between the agent and the API, each as ok, warning or error
 * with its fix. It judges with the same pieces as {@code status} (hooks, credentials, exporters,
 * server, outbox), and goes further: it asks the API, reads the agents' trust records and the clock.
 */
final class DoctorCommand implements Command {
    static final Options OPTIONS = Options.of(
            Option.flag("--json", "{\"checks\":[{name,level,what,fix}],\"errors\":N,\"warnings\":N}"));

    @Override
    public String name() {
        return "doctor";
    }

    @Override
    public String summary() {
        return "Check everything between the agent and the API, with fixes";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium doctor [--json]",
                "",
                "Checks, for the project in this folder: the launcher and the Java it runs, the start-up",
                "archive; for each agent with hooks here, the exact command the hooks run (and that it",
                "still runs), the agent's trust in the folder or hooks; the credentials, asking the API",
                "(GET /agents/ID/health, no trace is sent) and comparing its clock with this one; the",
                "exporters, the per-user server, the outbox and the session folder. Each is ok, warning",
                "or error, with its fix. Exits 1 when any is an error, else 0.",
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
        DoctorReport report = new DoctorReport();
        report.addAll(LauncherChecks.of(io.ctx.env()));
        Credentials c = null;
        try {
            c = io.ctx.resolver().resolve(io.cwd);
        } catch (ConfigException e) {
            report.add(Check.error("project", e.getMessage(), "fix the file it names, or run `infinium init` again"));
        }
        ProjectConfig project = c == null ? null : c.project();
        if (project == null && c != null) {
            report.add(Check.error("project", "tracing is not set up in " + io.cwd + " (no "
                    + ProjectConfig.DIR + "/ here or above)", "run `infinium init` in your project"));
        } else if (project != null) {
            boolean paused = Files.exists(project.projectDir().resolve(ProjectConfig.DIR).resolve(ProjectPause.MARKER));
            report.add(paused ? Check.warning("project", project.projectDir() + ": tracing is paused", "run `infinium resume`")
                    : Check.ok("project", project.projectDir().toString()));
        }
        if (project != null) {
            report.addAll(hooks(project.projectDir(), io));
        }
        report.addAll(export(io, c, project));
        report.add(ServerCheck.of(StatusCommand.serverStatus(io, new ObjectMapper())));
        try {
            Outbox.Counts waiting = io.ctx.outbox().counts();
            report.addAll(OutboxCheck.of(waiting, RetryCommand.hint(waiting.pending(), waiting.rejected()),
                    StatusCommand.damage(io, waiting)));
        } catch (java.io.IOException e) {
            report.add(Check.error("outbox", "the state folder " + io.ctx.dirs().state() + " cannot be read: "
                    + ai.infinium.connector.diag.ErrorWords.of(e), "make it yours and writable (`chmod u+rwx`)"));
        }
        report.add(SessionDirCheck.of(io.ctx.dirs().sessions(), io.ctx.dirs().sessionDirRefusal()));

        if (args.has("--json")) {
            io.out.println(report.json());
        } else {
            report.print(io.out, TerminalColour.wanted(io.ctx.env(), io.console()));
        }
        return report.count(Check.Level.ERROR) > 0 ? FAILED : OK;
    }

    /** Per agent with hooks here: the commands they run and whether they run, and the agent's trust. */
    private static List<Check> hooks(Path projectDir, Io io) {
        List<Check> out = new java.util.ArrayList<>();
        String fixCommand = "run `infinium init` again in " + projectDir + " with the infinium you use now (it rewrites the hooks)";
        for (InstalledHooks.Agent a : InstalledHooks.inspect(projectDir, io, true)) {
            String name = "hooks: " + a.adapter().displayName();
            HookInstaller installer = a.installer();
            if (a.error() != null) {
                out.add(Check.error(name, a.error(), "fix " + installer.hooksFile() + " by hand, or run `infinium init` again"));
                continue;
            }
            if (a.installed() <= 0) {
                continue;
            }
            List<String> broken = a.commandProblems();
            String counts = a.installed() + "/" + installer.expectedEvents() + " events in " + installer.hooksFile();
            if (!broken.isEmpty()) {
                out.add(Check.error(name, String.join("; ", broken), fixCommand));
            } else if (a.installed() < installer.expectedEvents()) {
                out.add(Check.error(name, "only " + counts, "run `infinium init` again"));
            } else {
                out.add(Check.ok(name, counts + (a.commands().isEmpty() ? "" : ", each runs: "
                        + String.join(" | ", a.commands().keySet())) + (a.notes().isEmpty() ? ""
                        : "; " + String.join("; ", a.notes()))));
            }
            if (a.adapter().name().equals("claude-code")) {
                out.add(ClaudeFolderTrust.of(projectDir, io.ctx.dirs().home(), io.ctx.env()));
            }
            for (HookInstaller.Problem p : a.problems()) {
                out.add(Check.error("trust: " + a.adapter().displayName(), p.what(), p.fix()));
            }
        }
        // The Claude Code plugin's hooks are the user's, not the project's: they count as this
        // project's when the plugin is enabled for it (and record only where init's hooks do not).
        List<String> plugins = ai.infinium.connector.agent.claude.ClaudePlugin.enabledIn(projectDir, io.ctx.env(),
                io.ctx.dirs().home());
        boolean projectClaudeHooks = out.stream().anyMatch(c -> c.name().equals("hooks: Claude Code"));
        if (!plugins.isEmpty()) {
            out.add(projectClaudeHooks
                    ? besideProjectHooks("hooks: Claude Code plugin", plugins, ".claude/", "claude plugin uninstall")
                    : Check.ok("hooks: Claude Code plugin", "hooks from the plugin " + String.join(", ", plugins)));
            if (!projectClaudeHooks) {
                out.add(ClaudeFolderTrust.of(projectDir, io.ctx.dirs().home(), io.ctx.env()));
            }
        }
        // Likewise the Codex plugin's (enabled for the user in $CODEX_HOME/config.toml); Codex runs
        // them only once the user trusted them, which it records there too.
        List<String> codexPlugins = ai.infinium.connector.agent.codex.CodexPlugin.enabledIn(io.ctx.env(),
                io.ctx.dirs().home());
        boolean projectCodexHooks = out.stream().anyMatch(c -> c.name().equals("hooks: Codex"));
        if (!codexPlugins.isEmpty()) {
            String id = codexPlugins.get(0);
            ai.infinium.connector.agent.codex.CodexPlugin.Trust trust =
                    ai.infinium.connector.agent.codex.CodexPlugin.trust(io.ctx.env(), io.ctx.dirs().home(), id);
            if (projectCodexHooks) {
                out.add(besideProjectHooks("hooks: Codex plugin", codexPlugins, ".codex/", "codex plugin remove"));
            } else if (trust.complete()) {
                out.add(Check.ok("hooks: Codex plugin", "hooks from the plugin " + String.join(", ", codexPlugins)
                        + "; " + trust.line()));
            } else {
                out.add(Check.error("hooks: Codex plugin", "hooks from the plugin " + String.join(", ", codexPlugins)
                        + ", but plugin hooks trusted in Codex: " + trust.trusted() + "/"
                        + ai.infinium.connector.agent.codex.CodexPlugin.Trust.ALL
                        + "; Codex skips untrusted hooks without a word",
                        ai.infinium.connector.agent.codex.CodexPlugin.Trust.FIX));
            }
        }
        if (out.isEmpty()) {
            out.add(Check.error("hooks", "no agent's hooks are installed in " + projectDir,
                    "run `infinium init` (or install the Claude Code plugin and run `infinium init --no-hooks`)"));
        }
        return out;
    }

    /** A plugin enabled where the project's own hooks run infinium too: they record, the plugin's stand aside. */
    private static Check besideProjectHooks(String name, List<String> plugins, String folder, String remove) {
        return Check.warning(name, "the plugin (" + String.join(", ", plugins) + ") is enabled, and this project's own "
                + folder + " runs infinium too: the plugin's record nothing here, so nothing is recorded twice",
                "keep one: `infinium uninstall` then `infinium init --no-hooks`, or `" + remove + " " + plugins.get(0) + "`");
    }

    /** The credentials (asked of the API), the clock, and any exporter or redaction setting that holds traces back. */
    private static List<Check> export(Io io, Credentials c, ProjectConfig project) {
        List<Check> out = new java.util.ArrayList<>();
        if (c != null && project != null && !project.infinium()) {
            out.add(Check.ok("credentials", "not needed: this project sends to its OTLP endpoint only"));
        } else if (c != null && c.secretOnlyInPluginHooks()) {
            out.add(Check.warning("credentials", "agent " + c.agentId() + " comes from the Claude Code plugin's options;"
                    + " its secret is with Claude Code, which hands it to the plugin's hooks only, so it is not checked here",
                    "`claude plugin configure infinium@infinium` shows whether agent_secret is set; `infinium history`"
                            + " shows whether the plugin's traces arrive"));
        } else if (c != null && (project != null || c.agentId() != null)) {
            TracingProblems missing = new TracingProblems();
            missing.credentials(c);
            missing.found().forEach(p -> out.add(Check.error("credentials", p.what(), p.fix())));
            if (missing.found().isEmpty()) {
                out.addAll(ApiChecks.of(io.ctx.infiniumApi(), c.baseUrl(), c.agentId(), c.secret(), io.ctx.clock()));
            }
        }
        if (project == null) {
            return out;
        }
        TracingProblems held = new TracingProblems();
        RedactionPolicy redaction = RedactionPolicy.of(io.ctx.settings(), project);
        if (redaction.problem() != null) {
            held.agentProblem(null, redaction.problem() + " (traces wait in the spool)",
                    "fix the \"redact\" settings in " + project.file());
        }
        Map<String, Outbox.Counts> waiting;
        try {
            waiting = io.ctx.outbox().countsByExporter();
        } catch (java.io.IOException e) {
            waiting = Map.of(); // the outbox check below says what is wrong with it
        }
        ExporterStatus.describe(io, c, project, waiting, new ObjectMapper().createObjectNode(), held);
        held.found().forEach(p -> out.add(Check.error("export", p.what(), p.fix())));
        if (project.otlp() != null && held.found().isEmpty()) {
            out.add(otlp(io, project));
        }
        return out;
    }

    /** Sends the endpoint an empty export, with the project's headers: only once status found its settings sound. */
    private static Check otlp(Io io, ProjectConfig project) {
        OtlpDestination destination = new OtlpDestination(io.ctx.env());
        try {
            OtlpDestination.Target t = destination.target(project.otlp());
            return OtlpReachability.of(io.ctx.otlpSender(true), t.endpoint(), t.protocol(),
                    destination.headers(project, io.ctx.secrets()));
        } catch (ConfigException | java.io.IOException e) {
            return Check.error("otlp", e.getMessage(), "run `infinium init --otlp-endpoint URL` again");
        }
    }
}
