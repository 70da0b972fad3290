package ai.infinium.connector.cli;

import ai.infinium.connector.agent.Agents;
import ai.infinium.connector.agent.claude.ClaudeHookInstaller;
import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.config.ProjectConfig;
import ai.infinium.connector.hook.ProjectPause;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code infinium init}: configure this project, store the secret, install the agent's hooks. */
final class InitCommand implements Command {
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
                "Options:",
                "  --agent NAME            agent to trace: " + Agents.names() + " (default claude-code)",
                "  --agent-id ID           Infinium agent id (asked for when missing)",
                "  --agent-secret SECRET   Infinium agent secret (asked for, without echo, when missing)",
                "  --base-url URL          API base URL (default " + Credentials.DEFAULT_BASE_URL + ")",
                "  --granularity turn|session  one trace per turn (default) or per session",
                "  --no-interactive        never prompt; fail if something required is missing",
                "",
                "Example:",
                "  infinium init --no-interactive --agent claude-code --agent-id A --agent-secret S");
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = Args.parse(raw, Set.of("--agent", "--agent-id", "--agent-secret", "--base-url", "--granularity"),
                Set.of("--no-interactive"), Map.of());
        if (!args.positional().isEmpty()) {
            throw new UsageException("init takes no arguments (got '" + args.positional().get(0) + "')");
        }
        boolean interactive = !args.has("--no-interactive");
        String agent = args.value("--agent") == null ? "claude-code" : args.value("--agent");
        if (Agents.byName(agent).isEmpty()) {
            throw new UsageException("unknown agent '" + agent + "' (known: " + Agents.names() + ")");
        }
        Path project = io.cwd.toAbsolutePath().normalize();
        ProjectConfig existing = Files.isRegularFile(project.resolve(ProjectConfig.DIR).resolve(ProjectConfig.FILE))
                ? ProjectConfig.read(project) : null;

        String agentId = firstNonBlank(args.value("--agent-id"), existing == null ? null : existing.agentId());
        if (args.value("--agent-id") == null && interactive) {
            String answer = io.ask("Infinium agent id" + (agentId == null ? "" : " [" + agentId + "]") + ": ");
            agentId = firstNonBlank(answer, agentId);
        }
        if (agentId == null || agentId.length() < 3) {
            io.err.println("infinium init: an agent id of at least 3 characters is required (--agent-id ID)");
            return agentId == null && !interactive ? USAGE : FAILED;
        }
        String secret = args.value("--agent-secret");
        if (secret == null && interactive) {
            secret = io.askSecret("Infinium agent secret (input hidden): ");
        }
        if (secret == null || secret.isBlank()) {
            secret = io.ctx.secrets().get(agentId).orElse(null);
        }
        if (secret == null || secret.trim().length() < 8) {
            io.err.println("infinium init: an agent secret of at least 8 characters is required (--agent-secret S)");
            return secret == null && !interactive ? USAGE : FAILED;
        }
        String baseUrl = firstNonBlank(args.value("--base-url"), existing == null ? null : existing.baseUrl());
        if (args.value("--base-url") == null && interactive && existing == null) {
            String answer = io.ask("API base URL [" + Credentials.DEFAULT_BASE_URL + "]: ");
            baseUrl = firstNonBlank(answer, baseUrl);
        }
        if (baseUrl != null && !baseUrl.matches("https?://.+")) {
            throw new UsageException("--base-url must start with http:// or https:// (got '" + baseUrl + "')");
        }
        String granularity = firstNonBlank(args.value("--granularity"), existing == null ? null : existing.granularity());
        if (granularity != null && !granularity.equals("turn") && !granularity.equals("session")) {
            throw new UsageException("--granularity is turn or session (got '" + granularity + "')");
        }

        new ProjectConfig(project, agentId, baseUrl, granularity == null ? "turn" : granularity).write();
        io.ctx.secrets().put(agentId, secret.trim());
        ClaudeHookInstaller installer = new ClaudeHookInstaller(project);
        String command = HookCommandLine.forAgent(agent, io.ctx.env());
        installer.install(command);
        boolean ignored = addToGitignore(project);
        Files.deleteIfExists(project.resolve(ProjectConfig.DIR).resolve(ProjectPause.MARKER));

        io.say("Infinium tracing is set up for " + project);
        io.say("  config:  " + project.resolve(ProjectConfig.DIR).resolve(ProjectConfig.FILE) + " (agent " + agentId
                + ", " + (granularity == null ? "turn" : granularity) + " granularity)");
        io.say("  secret:  " + io.ctx.secrets().describe());
        io.say("  hooks:   " + ClaudeHookInstaller.EVENTS.size() + " Claude Code events in " + installer.settingsFile());
        io.say("           command: " + command);
        if (ignored) {
            io.say("  git:     .infinium/ added to .gitignore");
        }
        io.say("Next: run `infinium test` to send a test trace, then use Claude Code as usual.");
        return OK;
    }

    /** Adds {@code .infinium/} to the project's .gitignore when the project is in a git work tree. */
    static boolean addToGitignore(Path project) throws IOException {
        boolean inGit = false;
        for (Path d = project; d != null; d = d.getParent()) {
            if (Files.exists(d.resolve(".git"))) {
                inGit = true;
                break;
            }
        }
        if (!inGit) {
            return false;
        }
        Path gi = project.resolve(".gitignore");
        String text = Files.isRegularFile(gi) ? Files.readString(gi, StandardCharsets.UTF_8) : "";
        for (String line : text.split("\n", -1)) {
            String l = line.trim();
            if (l.equals(".infinium/") || l.equals(".infinium") || l.equals("/.infinium/") || l.equals("/.infinium")) {
                return false;
            }
        }
        String add = (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + ".infinium/\n";
        Files.writeString(gi, text + add, StandardCharsets.UTF_8);
        return true;
    }

    static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a.trim();
        }
        return b == null || b.isBlank() ? null : b.trim();
    }

}
