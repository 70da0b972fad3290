package ai.infinium.connector.cli;

import ai.infinium.connector.Version;
import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.config.PluginOptions;
import ai.infinium.connector.config.ProjectConfig;
import ai.infinium.connector.config.ProjectIndex;
import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.serve.ServerControl;
import ai.infinium.connector.export.HistoryEntry;
import ai.infinium.connector.export.Outbox;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.flush.FlushWorker;
import ai.infinium.connector.hook.ProjectPause;
import ai.infinium.connector.redact.RedactionPolicy;
import ai.infinium.connector.redact.Redactor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code infinium status}: what is configured, from where, and how delivery is going. */
final class StatusCommand implements Command {
    static final Options OPTIONS = Options.of(Option.flag("--json", "machine-readable output"));

    private final BackgroundDelivery delivery;


    /** @param worker starts the detached flush worker that sends what is due */
    StatusCommand(ai.infinium.connector.hook.HookCommand.JvmStarter worker) {
        this.delivery = new BackgroundDelivery(worker);
    }

    @Override
    public String name() {
        return "status";
    }

    @Override
    public String summary() {
        return "Show configuration, hooks and delivery state";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium status [--json]",
                "",
                "Shows whether tracing is active or paused, the agent id, where each setting came from",
                "(env, project file, secret store, the Claude Code plugin's options), the installed",
                "hooks, pending and rejected outbox entries with the newest error, and the last",
                "delivery. The secret is always masked.",
                "It checks that a trace would really go out: the hooks' command still runs (a moved or",
                "deleted install stops every hook), a secret is stored, the agent will run the hooks;",
                "each problem is listed with its fix. Exits 0 when tracing is active, 1 when it is not",
                "(not set up here, paused, or a problem above).",
                "",
                OPTIONS.help());
    }

    /** Files that were damaged and what became of them, for a person to look at. */
    static List<String> damage(Io io, Outbox.Counts waiting) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        if (waiting.damaged() > 0) {
            out.add(waiting.damaged() + " unreadable outbox entr" + (waiting.damaged() == 1 ? "y" : "ies")
                    + " set aside in " + io.ctx.outbox().damagedDir());
        }
        Path sessions = io.ctx.dirs().sessions();
        if (Files.isDirectory(sessions)) {
            try (java.util.stream.Stream<Path> all = Files.walk(sessions, 2)) {
                List<Path> states = all.filter(p -> p.getFileName().toString().endsWith(".state.json.damaged")).toList();
                if (!states.isEmpty()) {
                    out.add(states.size() + " session state file(s) were damaged and rebuilt from the outbox and "
                            + "history; the damaged copies: " + states.get(0) + (states.size() > 1 ? " …" : ""));
                }
            }
        }
        int lines = io.ctx.history().read().damagedLines();
        if (lines > 0) {
            out.add(lines + " damaged line(s) of " + io.ctx.history().file() + " skipped");
        }
        return out;
    }

    private static String redactionLine(RedactionPolicy r, Redactor builtIn) {
        if (!r.on()) {
            return "OFF: prompts, commands and tool output are sent as they are, secrets included ("
                    + r.offBecause() + ")";
        }
        return "on (" + r.rulesInWords(builtIn) + ")";
    }

    /** The per-user server's own status, or why there is none; never waits more than a second or two. */
    static ObjectNode serverStatus(Io io, ObjectMapper json) {
        ServerControl control = new ServerControl(new ServerFiles(io.ctx.dirs(), io.ctx.env()));
        try {
            java.util.Optional<ServerControl.Info> info = control.running();
            if (info.isPresent()) {
                java.util.Optional<com.fasterxml.jackson.databind.JsonNode> s = control.status(info.get(),
                        java.time.Duration.ofSeconds(1));
                if (s.isPresent() && s.get().isObject()) {
                    return (ObjectNode) s.get();
                }
                ObjectNode n = json.createObjectNode().put("running", true).put("pid", info.get().pid());
                return n.put("error", "holds its lock but does not answer on " + info.get().url());
            }
            ObjectNode n = json.createObjectNode().put("running", false)
                    .put("note", "hooks installed in server mode start it when a session starts");
            ServerCommand.addLastStartError(n, control.files());
            return n;
        } catch (java.io.IOException e) {
            return json.createObjectNode().put("running", false).put("note", "cannot tell: " + e.getMessage());
        }
    }

    @Override
    public Options declaredOptions() {
        return OPTIONS;
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = OPTIONS.parse(raw);
        try {
            delivery.queueStaleAndHandOver(io.ctx);
        } catch (Exception e) {
            io.ctx.log().error("status: stale flush failed: " + e);
        }
        Credentials c;
        String configError = null;
        try {
            c = io.ctx.resolver().resolve(io.cwd);
        } catch (ConfigException e) {
            c = null;
            configError = e.getMessage();
        }
        ProjectConfig project = c == null ? null : c.project();
        boolean paused = project != null
                && Files.exists(project.projectDir().resolve(ProjectConfig.DIR).resolve(ProjectPause.MARKER));
        Path projectDir = project == null ? io.cwd : project.projectDir();
        Outbox.Counts waiting = io.ctx.outbox().counts();
        int pending = waiting.pending();
        int rejected = waiting.rejected();
        OutboxEntry newestError = waiting.newestError();
        if (project != null && project.agentId() != null) {
            try {
                ProjectIndex.of(io.ctx.dirs()).ensure(project.projectDir(), project.agentId());
            } catch (IOException e) {
                io.ctx.log().error("status: cannot record " + project.projectDir() + " in the project index: "
                        + e.getMessage());
            }
        }
        List<HistoryEntry> last = io.ctx.history().latest(1);

        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        n.put("version", Version.get());
        TracingProblems problems = new TracingProblems();
        if (c != null && project != null && project.infinium()) {
            problems.credentials(c);
        }
        RedactionPolicy redaction = RedactionPolicy.of(io.ctx.settings(), project);
        if (redaction.problem() != null && project != null) {
            problems.agentProblem(null, redaction.problem() + " (traces wait in the spool)",
                    "fix the \"redact\" settings in " + project.file());
        }
        n.put("project_dir", project == null ? null : project.projectDir().toString());
        if (configError != null) {
            n.put("config_error", configError);
        }
        if (c != null) {
            n.put("agent_id", c.agentId());
            n.put("agent_id_source", c.agentIdSource());
            n.put("secret", c.secret() == null ? null : c.maskedSecret());
            n.put("secret_source", c.secretOnlyInPluginHooks() ? PluginOptions.SOURCE + " (its hooks only)" : c.secretSource());
            n.put("secret_store", io.ctx.secrets().describe());
            n.put("base_url", c.baseUrl());
            n.put("base_url_source", c.baseUrlSource());
            n.put("granularity", c.granularity());
        }
        ObjectNode hooks = n.putObject("hooks");
        List<String> hookLines = new java.util.ArrayList<>();
        for (InstalledHooks.Agent a : InstalledHooks.inspect(projectDir, io, project != null)) {
            HookInstaller installer = a.installer();
            String name = a.adapter().displayName();
            ObjectNode h = hooks.putObject(a.adapter().name());
            h.put("file", installer.hooksFile().toString());
            h.put("expected_events", installer.expectedEvents());
            if (a.installed() >= 0) {
                h.put("installed_events", a.installed());
            }
            if (a.error() != null) {
                h.put("error", a.error());
                hookLines.add(name + ": " + a.error());
                problems.agentProblem(name, a.error(), null);
                continue;
            }
            String line = name + ": " + a.installed() + "/" + installer.expectedEvents()
                    + " events installed in " + installer.hooksFile();
            if (a.installed() > 0 && project != null) {
                problems.agent(name, a.installed(), installer.expectedEvents(), a.commandProblems(),
                        project.projectDir().toString());
                for (HookInstaller.Problem p : a.problems()) {
                    problems.agentProblem(name, p.what(), p.fix());
                }
            }
            if (a.installed() > 0) {
                var notes = h.putArray("notes");
                for (String note : a.notes()) {
                    notes.add(note);
                    line += "\n              " + note;
                }
            }
            if (a.adapter().name().equals(ai.infinium.connector.agent.claude.ClaudeCode.NAME)) {
                line = withPlugin(line, h, installer, a.installed(), name,
                        project == null ? null : project.projectDir().toString(), problems,
                        ai.infinium.connector.agent.claude.ClaudePlugin.enabledIn(projectDir, io.ctx.env(),
                                io.ctx.dirs().home()), "claude plugin uninstall", null);
            } else if (a.adapter().name().equals(ai.infinium.connector.agent.codex.Codex.NAME)) {
                List<String> codexPlugins = ai.infinium.connector.agent.codex.CodexPlugin.enabledIn(io.ctx.env(),
                        io.ctx.dirs().home());
                ai.infinium.connector.agent.codex.CodexPlugin.Trust trust = codexPlugins.isEmpty() ? null
                        : ai.infinium.connector.agent.codex.CodexPlugin.trust(io.ctx.env(), io.ctx.dirs().home(),
                                codexPlugins.get(0));
                line = withPlugin(line, h, installer, a.installed(), name,
                        project == null ? null : project.projectDir().toString(), problems, codexPlugins,
                        "codex plugin remove", trust == null ? null : trust.line());
                // Codex skips untrusted hooks silently: the plugin's then trace nothing here.
                if (trust != null && !trust.complete() && a.installed() == 0 && project != null) {
                    problems.agentProblem(name, "Codex has not trusted all of the plugin's hooks yet, and runs only"
                            + " trusted ones", ai.infinium.connector.agent.codex.CodexPlugin.Trust.FIX);
                }
            }
            hookLines.add(line);
        }
        List<String> exporterLines = ExporterStatus.describe(io, c, project, io.ctx.outbox().countsByExporter(),
                n.putObject("exporters"), problems);
        ObjectNode server = serverStatus(io, json);
        n.set("server", server);
        // after the exporters: a problem they found counts too
        String tracing = project == null ? "not configured" : paused ? "paused" : problems.state();
        n.put("tracing", tracing);
        if (project != null && !paused) {
            var list = n.putArray("problems");
            for (TracingProblems.Problem p : problems.all()) {
                ObjectNode o = list.addObject();
                o.put("agent", p.agent());
                o.put("problem", p.what());
                o.put("fix", p.fix());
            }
        }
        n.put("pending", pending);
        n.put("rejected", rejected);
        if (newestError != null) {
            n.put("newest_error", newestError.lastError());
        }
        List<String> damaged = damage(io, waiting);
        if (!damaged.isEmpty()) {
            var d = n.putArray("damaged");
            damaged.forEach(d::add);
        }
        if (!last.isEmpty()) {
            ObjectNode l = n.putObject("last_delivery");
            l.put("at", last.get(0).deliveredAt());
            l.put("name", last.get(0).name());
            l.put("trace_id", last.get(0).traceId());
        }
        Redactor builtInRules = Redactor.defaults();
        ObjectNode r = n.putObject("redaction");
        r.put("on", redaction.on());
        r.put("built_in_rules", builtInRules.ruleIds().size());
        r.put("project_rules", redaction.extra().size());
        r.put("allow_patterns", redaction.allow().size());
        r.put("off_because", redaction.offBecause());
        r.put("warning", redaction.warning());
        n.put("session_dir", io.ctx.dirs().sessions().toString());
        if (io.ctx.dirs().sessionDirRefusal() != null) {
            n.put("session_dir_refused", io.ctx.dirs().sessionDirRefusal());
        }
        n.put("log", io.ctx.log().file().toString());

        int code = tracing.equals("active") ? OK : FAILED;
        if (args.has("--json")) {
            io.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(n));
            return code;
        }
        io.out.println("infinium " + Version.get());
        io.out.println("Tracing:      " + tracing
                + (project == null ? " (run `infinium init` in your project)" : " in " + project.projectDir())
                + (paused ? " (`infinium resume` turns it back on)" : ""));
        if (project != null && !paused) {
            for (TracingProblems.Problem p : problems.all()) {
                io.out.println("  NOT TRACING " + p.line());
            }
        }
        if (configError != null) {
            io.out.println("Config error: " + configError);
        }
        if (c != null && (project == null || project.infinium())) {
            io.out.println("Agent id:     " + (c.agentId() == null ? "(not set)" : c.agentId() + "  [" + c.agentIdSource() + "]"));
            io.out.println("Secret:       " + (c.secretOnlyInPluginHooks()
                    ? "kept by Claude Code (the plugin's agent_secret option), which hands it to the plugin's hooks only"
                    : c.secret() == null ? "(not found)" : c.maskedSecret() + "  [" + c.secretSource() + "]"));
            io.out.println("Secret store: " + io.ctx.secrets().describe());
            io.out.println("Base URL:     " + c.baseUrl() + "  [" + c.baseUrlSource() + "]");
            io.out.println("Granularity:  " + c.granularity());
        }
        for (int i = 0; i < exporterLines.size(); i++) {
            io.out.println((i == 0 ? "Exporters:    " : "              ") + exporterLines.get(i));
        }
        for (int i = 0; i < hookLines.size(); i++) {
            io.out.println((i == 0 ? "Hooks:        " : "              ") + hookLines.get(i));
        }
        List<String> serverLines = ServerCommand.describe(server);
        for (int i = 0; i < serverLines.size(); i++) {
            io.out.println((i == 0 ? "Server:       " : "              ") + serverLines.get(i).replaceFirst("^infinium server: ", "").trim());
        }
        io.out.println("Redaction:    " + redactionLine(redaction, builtInRules));
        if (redaction.warning() != null) {
            io.out.println("              " + redaction.warning());
        }
        io.out.println("Outbox:       " + pending + " pending, " + rejected + " rejected"
                + (pending > 0 || rejected > 0 ? " (" + RetryCommand.hint(pending, rejected) + ")" : ""));
        if (newestError != null) {
            io.out.println("Newest error: " + newestError.lastError() + " (" + newestError.name() + ")");
        }
        for (String d : damage(io, waiting)) {
            io.out.println("Damaged:      " + d);
        }
        io.out.println("Last sent:    " + (last.isEmpty() ? "nothing yet"
                : last.get(0).deliveredAt() + "  " + last.get(0).name()
                        + (last.get(0).traceId() == null ? "" : "  (trace " + last.get(0).traceId() + ")")));
        io.out.println("Sessions:     " + io.ctx.dirs().sessions());
        if (io.ctx.dirs().sessionDirRefusal() != null) {
            io.out.println("              " + io.ctx.dirs().sessionDirRefusal());
        }
        io.out.println("Log:          " + io.ctx.log().file());
        return code;
    }

    /**
     * An infinium plugin's hooks (Claude Code's or Codex's), beside (or instead of) those in the
     * project's settings: with both, the plugin's record nothing here (hook/PluginEvents), which is said.
     *
     * @param plugins   the enabled plugin ids
     * @param uninstall the agent's command that removes a plugin
     * @param trust     what the agent recorded about trusting the plugin's hooks, or null
     */
    private static String withPlugin(String line, ObjectNode h, HookInstaller installer, int installed,
            String agent, String project, TracingProblems problems, List<String> plugins, String uninstall,
            String trust) {
        if (plugins.isEmpty()) {
            return line;
        }
        var ids = h.putArray("plugin");
        plugins.forEach(ids::add);
        String plugin = String.join(", ", plugins);
        if (installed > 0) {
            String note = "hooks installed both by the plugin (" + plugin + ") and in " + installer.hooksFile()
                    + "; the plugin's are ignored here, so no event is recorded twice. To keep only the plugin's, run"
                    + " `infinium uninstall` then `infinium init --no-hooks`; to keep only these, `" + uninstall
                    + " " + plugins.get(0) + "`";
            h.put("plugin_ignored", true);
            return line + "\n              " + note;
        }
        h.put("plugin_ignored", false);
        if (project != null) {
            problems.agent(agent, installer.expectedEvents(), installer.expectedEvents(), List.of(), project);
        }
        if (trust != null) {
            h.put("plugin_trust", trust);
        }
        return agent + ": hooks from the plugin " + plugin + " (user-wide; none in " + installer.hooksFile() + ")"
                + (trust == null ? "" : "\n              " + trust);
    }

}
