package ai.infinium.connector.cli;

import ai.infinium.connector.agent.Agents;
import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.config.ProjectConfig;
import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.config.ServerToken;
import ai.infinium.connector.hook.ProjectPause;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code infinium init}: configure this project, store the secret, install the agent's hooks. */
final class InitCommand implements Command {
    static final Options OPTIONS = Options.of(
            Option.value("--agent", "NAME", "agent to trace: " + Agents.names() + "; repeat (or use a comma)",
                    "for both. Without it: asked, or with --no-interactive the agents",
                    "whose folder (.claude, .codex) the project has").repeating(),
            Option.value("--agent-id", "ID", "Infinium agent id (asked for when missing)"),
            Option.value("--agent-secret", "SECRET", "Infinium agent secret (asked for, without echo, when missing);",
                    "`-` reads it from the first line of stdin (out of shell history)"),
            Option.value("--base-url", "URL", "API base URL (default " + Credentials.DEFAULT_BASE_URL + ")"),
            Option.value("--granularity", "turn|session", "one trace per turn (default) or per session"),
            Option.value("--mode", "server|command", "server (default): Claude Code's tool events post to the per-user",
                    "hook server (about 1 ms each), turn boundaries run the command,",
                    "which starts the server; command: a process per event everywhere",
                    "(for machines where a local server cannot run). Re-run to switch"),
            Option.flag("--no-hooks", "write the config and store the secret, install no hooks: for the",
                    "infinium Claude Code or Codex plugin, whose user-wide hooks trace",
                    "every project set up so (claude plugin install infinium@infinium,",
                    "codex plugin add infinium@infinium)"),
            Option.flag("--plugin-credentials", "with --no-hooks: the agent id, secret and base URL are the",
                    "plugin's options (claude plugin configure infinium@infinium),",
                    "so none is asked for or stored here"),
            Option.flag("--trust-project", "Codex: mark the project trusted in ~/.codex/config.toml so Codex",
                    "reads its .codex/hooks.json (asked for when interactive)"),
            Option.flag("--no-interactive", "never prompt; fail if something required is missing"),
            Option.flag("--no-check", "do not ask the API (GET /agents/ID/health) whether it accepts the",
                    "credentials before saving them (by default: refused ones are asked",
                    "for again, or with --no-interactive fail; unreachable: saved, said)"),
            Option.flag("--here", "in a subfolder of a git work tree, set up this folder, not the",
                    "work tree's root (where init goes otherwise)"))
            .and(OtlpSetup.OPTIONS);

    private final BackgroundDelivery delivery;

    /** @param worker starts the detached flush worker that resends the traces the old credentials lost */
    InitCommand(ai.infinium.connector.hook.HookCommand.JvmStarter worker) {
        this.delivery = new BackgroundDelivery(worker);
    }

    @Override
    public String name() {
        return "init";
    }

    @Override
    public String summary() {
        return "Set up tracing in this project (config, secret, agent hooks)";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium init [options]",
                "",
                "Sets up tracing for the project in the current directory: writes .infinium/config.json",
                "(agent id, base URL, granularity; never the secret), stores the agent secret, installs",
                "the agent's hooks and adds .infinium/ to .gitignore in a git work tree. Running it again",
                "updates the settings and still leaves exactly one set of hooks.",
                "",
                OPTIONS.help(),
                "",
                "Example:",
                "  infinium init --no-interactive --agent claude-code --agent-id A --agent-secret S",
                "  infinium init --agent codex --no-infinium --otlp-endpoint http://localhost:4318");
    }

    @Override
    public Options declaredOptions() {
        return OPTIONS;
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = OPTIONS.parse(raw);
        boolean interactive = !args.has("--no-interactive");
        String mode = args.value("--mode") == null ? "server" : args.value("--mode").trim().toLowerCase(java.util.Locale.ROOT);
        if (!mode.equals("server") && !mode.equals("command")) {
            throw new UsageException("--mode is server or command (got '" + args.value("--mode") + "')");
        }
        Path project = projectDir(io.cwd.toAbsolutePath().normalize(), args.has("--here"), interactive, io);
        boolean noHooks = args.has("--no-hooks");
        if (noHooks && (args.value("--mode") != null || args.has("--trust-project"))) {
            throw new UsageException("--no-hooks installs no hooks: --mode and --trust-project have nothing to act on");
        }
        boolean pluginCredentials = args.has("--plugin-credentials") || offerPluginCredentials(args, noHooks, interactive, io);
        if (pluginCredentials && !noHooks) {
            throw new UsageException("--plugin-credentials is for a project the Claude Code plugin traces: add --no-hooks"
                    + " (only the plugin's own hooks receive its options)");
        }
        if (pluginCredentials && (args.value("--agent-id") != null || args.value("--agent-secret") != null
                || args.has("--no-infinium"))) {
            throw new UsageException("--plugin-credentials and --agent-id/--agent-secret/--no-infinium contradict each other");
        }
        // The plugin's hooks are Claude Code's: with --no-hooks there is no agent to choose.
        List<AgentAdapter> agents = noHooks ? List.of() : chooseAgents(args.values("--agent"), project, interactive, io);
        ProjectConfig existing = Files.isRegularFile(project.resolve(ProjectConfig.DIR).resolve(ProjectConfig.FILE))
                ? ProjectConfig.read(project) : null;

        OtlpSetup.Plan otlp = OtlpSetup.plan(args, existing == null ? null : existing.otlp());
        boolean toInfinium = !args.has("--no-infinium")
                && (existing == null || existing.infinium() || args.value("--agent-id") != null || pluginCredentials);
        if (!toInfinium && !otlp.exports()) {
            throw new UsageException("--no-infinium leaves nowhere to send traces: add --otlp-endpoint URL");
        }
        if (!toInfinium && (args.value("--agent-id") != null || args.value("--agent-secret") != null)) {
            throw new UsageException("--no-infinium and --agent-id/--agent-secret contradict each other");
        }
        Wizard wizard = new Wizard(io, interactive);
        String agentId = null;
        String secret = null;
        String baseUrl = existing == null ? null : existing.baseUrl();
        String granularity = firstNonBlank(args.value("--granularity"), existing == null ? null : existing.granularity());
        if (granularity != null && !granularity.equals("turn") && !granularity.equals("session")) {
            throw new UsageException("--granularity is turn or session (got '" + granularity + "')");
        }
        if (pluginCredentials) {
            baseUrl = args.value("--base-url");
            if (baseUrl != null && InfiniumSetup.baseUrlProblem(baseUrl.trim()) != null) {
                throw new UsageException("--base-url: " + InfiniumSetup.baseUrlProblem(baseUrl.trim()));
            }
        } else if (toInfinium) {
            InfiniumSetup.Accepted given = InfiniumSetup.ask(args, io, wizard, existing);
            if (given == null) {
                return FAILED;
            }
            agentId = given.agentId();
            secret = given.secret();
            baseUrl = given.baseUrl();
        }

        boolean trust = args.has("--trust-project");
        if (!trust && interactive && agents.stream().anyMatch(a -> a.projectMarker().equals(".codex"))) {
            String answer = io.ask("Mark this project as trusted for Codex, so it reads .codex/hooks.json? [y/N]: ");
            trust = answer != null && answer.toLowerCase(java.util.Locale.ROOT).startsWith("y");
        }
        // Every agent's edits are worked out and checked before any file is written, so a file
        // that cannot be edited safely (a ConfigException saying what to do) leaves nothing half-done.
        ServerFiles serverFiles = mode.equals("server") && !noHooks ? new ServerFiles(io.ctx.dirs(), io.ctx.env()) : null;
        String token = serverFiles == null ? null : ServerToken.storedOrNew(serverFiles);
        List<Prepared> prepared = prepare(agents, project, io, trust, serverFiles, token);

        new ProjectConfig(project, agentId, baseUrl, granularity == null ? "turn" : granularity)
                .exportingTo(otlp.config(), toInfinium).write();
        if (toInfinium && !pluginCredentials) {
            io.ctx.secrets().put(agentId, secret.trim());
        }
        OtlpSetup.storeSecrets(otlp, existing == null ? null : existing.otlp(), project, io.ctx.secrets());
        ai.infinium.connector.config.ProjectIndex.of(io.ctx.dirs()).record(project, agentId);
        if (serverFiles != null) {
            serverFiles.recordPort(); // the port the hooks now carry, for the server a hook starts later
            String stored = ServerToken.storeUnlessPresent(serverFiles, token);
            if (!stored.equals(token)) { // a server starting meanwhile stored its own: the hooks must carry that one
                prepared = prepare(agents, project, io, trust, serverFiles, stored);
            }
        }
        List<String> installed = new java.util.ArrayList<>();
        // Any init: the plugins' hook scripts find the launcher here (see RecordedLauncher).
        Path launcher = RecordedLauncher.record(io.ctx.dirs(), io.ctx.env());
        if (noHooks) {
            installed.add("none (--no-hooks): the infinium Claude Code and Codex plugins' hooks trace this project");
            installed.add(launcher == null ? "the plugins find infinium on PATH (this run did not come through bin/infinium)"
                    : "the plugins run " + launcher + " (recorded in " + RecordedLauncher.file(io.ctx.dirs()) + ")");
            for (String folder : List.of(".claude", ".codex")) {
                boolean ours = folder.equals(".claude") ? ai.infinium.connector.hook.PluginEvents.runsOurHooks(project)
                        : ai.infinium.connector.hook.PluginEvents.runsOurCodexHooks(project);
                if (ours) {
                    installed.add("the hooks an earlier `infinium init` put in " + folder + "/ stay and record instead of"
                            + " the plugin's; `infinium uninstall` then `infinium init --no-hooks` leaves the plugin's alone");
                }
            }
        }
        for (Prepared p : prepared) {
            p.install().edits().write();
            installed.addAll(p.install().report());
            installed.add("command: " + p.command());
        }
        List<String> ignore = new java.util.ArrayList<>(List.of(".infinium/"));
        if (agents.stream().anyMatch(a -> a.projectMarker().equals(".claude"))) {
            // It holds absolute paths and, in server mode, the server token: never to be committed.
            ignore.add(".claude/settings.local.json");
        }
        List<String> ignored = addToGitignore(project, ignore);
        Files.deleteIfExists(project.resolve(ProjectConfig.DIR).resolve(ProjectPause.MARKER));

        io.say("Infinium tracing is set up for " + project);
        io.say("  config:  " + project.resolve(ProjectConfig.DIR).resolve(ProjectConfig.FILE) + " ("
                + (pluginCredentials ? "the agent of the Claude Code plugin's options" : toInfinium ? "agent " + agentId
                        : "no Infinium") + ", "
                + (granularity == null ? "turn" : granularity) + " granularity)");
        if (otlp.exports()) {
            io.say("  otlp:    " + OtlpSetup.describe(otlp));
        }
        if (pluginCredentials) {
            io.say("  secret:  kept by Claude Code as the plugin's agent_secret option; " + pluginAgent(io));
        } else if (toInfinium || !otlp.secretValues().isEmpty()) {
            io.say("  secret:  " + io.ctx.secrets().describe());
        }
        for (int i = 0; i < installed.size(); i++) {
            io.say((i == 0 ? "  hooks:   " : "           ") + installed.get(i));
        }
        if (!ignored.isEmpty()) {
            io.say("  git:     " + String.join(" and ", ignored) + " added to .gitignore");
        }
        delivery.sayRequeued(io, delivery.requeueRejectedOf(io.ctx, io.ctx.resolver().resolve(project)));
        if (pluginCredentials) {
            io.say(io.ctx.pluginOptions().agentId() != null ? "Next: use Claude Code as usual."
                    : "Next: set the plugin's options once (" + PLUGIN_CONFIGURE + ", or /plugin configure"
                            + " infinium@infinium in Claude Code), then use Claude Code as usual.");
            return OK;
        }
        if (noHooks) {
            io.say((toInfinium ? "Next: run `infinium test` to send a test trace; " : "Next: ")
                    + "with a plugin installed (Claude Code: claude plugin marketplace add <infinium folder>, then"
                    + " claude plugin install infinium@infinium; Codex: codex plugin marketplace add <infinium folder>,"
                    + " codex plugin add infinium@infinium, then trust its hooks once in codex), use the agent as usual.");
            return OK;
        }
        io.say((toInfinium ? "Next: run `infinium test` to send a test trace, then use " : "Next: use ")
                + String.join(" and ", agents.stream().map(AgentAdapter::displayName).toList()) + " as usual.");
        return OK;
    }

    static final String PLUGIN_CONFIGURE = "echo '{\"agent_id\":\"ID\",\"agent_secret\":\"SECRET\"}' | claude plugin"
            + " configure infinium@infinium --values-stdin";

    /**
     * Interactive {@code --no-hooks} with no credentials given, while the plugin's options name an
     * agent: asks whether this project takes those, instead of asking for an id and secret.
     */
    private static boolean offerPluginCredentials(Args args, boolean noHooks, boolean interactive, Io io)
            throws IOException {
        if (!noHooks || !interactive || args.value("--agent-id") != null || args.value("--agent-secret") != null
                || args.has("--no-infinium")) {
            return false;
        }
        String agent = io.ctx.pluginOptions().agentId();
        if (agent == null) {
            return false;
        }
        String answer = io.ask("The Claude Code plugin's options name agent " + agent + ". Trace this project with"
                + " them (--plugin-credentials: nothing stored here)? [Y/n]: ");
        return answer == null || answer.isBlank() || answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y");
    }

    /** What Claude Code's settings show of the plugin's agent (its secret is not readable from here). */
    private static String pluginAgent(Io io) {
        ai.infinium.connector.config.PluginOptions o = io.ctx.pluginOptions();
        return o.agentId() == null ? "the plugin's options name no agent_id yet"
                : "the plugin's agent is " + o.agentId() + " (in " + o.where() + ")";
    }

    /** One agent's install, checked and not yet written, with the hook command it installs. */
    private record Prepared(String command, HookInstaller.PreparedInstall install) {}

    private static List<Prepared> prepare(List<AgentAdapter> agents, Path project, Io io, boolean trust,
            ServerFiles serverFiles, String token) throws ai.infinium.connector.config.ConfigException, IOException {
        HookInstaller.ServerEndpoint server = serverFiles == null ? null
                : new HookInstaller.ServerEndpoint("http://127.0.0.1:" + serverFiles.port(), token);
        List<Prepared> out = new java.util.ArrayList<>();
        for (AgentAdapter a : agents) {
            HookInstaller installer = a.installer(project, io.ctx.env(), io.ctx.dirs().home());
            String command = HookCommandLine.forAgent(a.name(), io.ctx.env()) + (server == null ? "" : " --server");
            out.add(new Prepared(command, installer.prepare(command, new HookInstaller.InstallOptions(trust, server))));
        }
        return out;
    }

    /**
     * The agents to set up: those named (repeatable, comma-separated), else asked for, else (not
     * interactive) those whose folder the project already has.
     */
    static List<AgentAdapter> chooseAgents(List<String> named, Path project, boolean interactive, Io io)
            throws UsageException, IOException {
        List<String> names = new java.util.ArrayList<>();
        for (String n : named) {
            for (String part : n.split(",")) {
                if (!part.isBlank()) {
                    names.add(part.trim());
                }
            }
        }
        List<AgentAdapter> detected = Agents.all().stream()
                .filter(a -> Files.isDirectory(project.resolve(a.projectMarker()))).toList();
        if (names.isEmpty() && interactive) {
            String dflt = detected.isEmpty() ? "claude-code"
                    : String.join(",", detected.stream().map(AgentAdapter::name).toList());
            String answer = io.ask("Agent(s) to trace (" + Agents.names() + ", comma-separated) [" + dflt + "]: ");
            names.addAll(List.of((answer == null || answer.isBlank() ? dflt : answer).split("\\s*,\\s*")));
        }
        if (names.isEmpty()) {
            if (detected.isEmpty()) {
                throw new UsageException("no " + String.join(" or ", Agents.all().stream().map(AgentAdapter::projectMarker)
                        .toList()) + " folder here to pick the agent from: say which with "
                        + "--agent (" + Agents.names() + ")");
            }
            return detected;
        }
        List<AgentAdapter> out = new java.util.ArrayList<>();
        for (String n : names) {
            AgentAdapter a = Agents.byName(n).orElseThrow(() ->
                    new UsageException("unknown agent '" + n + "' (known: " + Agents.names() + ")"));
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Where to set up: a session started at a work tree's root has that root as its cwd, and the
     * connector finds the project's config by walking up from there, so a setup in a subdirectory
     * would trace nothing started at the root. Inside a work tree, the root (asked when
     * interactive); {@code --here} keeps the current directory (a package of a monorepo).
     */
    private static Path projectDir(Path cwd, boolean here, boolean interactive, Io io) throws IOException {
        java.util.Optional<Path> root = ai.infinium.connector.project.WorkTree.rootOf(cwd);
        if (here || root.isEmpty() || root.get().equals(cwd)) {
            return cwd;
        }
        if (interactive) {
            while (true) {
                String answer = io.ask("This folder is inside the git work tree " + root.get() + ". Set up tracing "
                        + "at its root, so sessions started there are traced? [Y/n] ");
                String a = answer == null ? "" : answer.trim().toLowerCase(java.util.Locale.ROOT);
                if (a.isEmpty() || a.equals("y") || a.equals("yes")) {
                    return root.get();
                }
                if (a.equals("n") || a.equals("no")) {
                    return cwd;
                }
                io.say("Please answer y or n.");
            }
        }
        io.say("Setting up the git work tree's root " + root.get() + " (init ran in " + cwd
                + "; pass --here to set up that folder instead).");
        return root.get();
    }

    /** Adds the entries the project's .gitignore lacks, when the project is in a git work tree; returns those added. */
    static List<String> addToGitignore(Path project, List<String> entries) throws IOException {
        if (ai.infinium.connector.project.WorkTree.rootOf(project).isEmpty()) {
            return List.of();
        }
        Path gi = project.resolve(".gitignore");
        String text = Files.isRegularFile(gi) ? Files.readString(gi, StandardCharsets.UTF_8) : "";
        java.util.Set<String> present = new java.util.HashSet<>();
        for (String line : text.split("\n", -1)) {
            String l = line.trim();
            present.add(l.startsWith("/") ? l.substring(1) : l);
        }
        List<String> added = new java.util.ArrayList<>();
        StringBuilder add = new StringBuilder(text.isEmpty() || text.endsWith("\n") ? "" : "\n");
        for (String e : entries) {
            String bare = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
            if (!present.contains(e) && !present.contains(bare)) {
                add.append(e).append('\n');
                added.add(e);
            }
        }
        if (!added.isEmpty()) {
            Files.writeString(gi, text + add, StandardCharsets.UTF_8);
        }
        return added;
    }

    static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.trim();
        }
        return b == null || b.isBlank() ? null : b.trim();
    }

}
