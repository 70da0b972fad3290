package ai.infinium.connector.cli;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.Agents;
import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every agent's hooks in one project as {@code status} and {@code doctor} both judge them: how many
 * events are ours, the exact command lines they run and whether each still runs, and why the agent
 * would not run them. Looked at once, so the two commands cannot come to different verdicts.
 */
final class InstalledHooks {
    private InstalledHooks() {}

    /**
     * One agent's hooks.
     *
     * @param installed our events in its settings, or -1 when the settings could not be read
     * @param commands each distinct command line → why it would not run (empty: it runs); only
     *     looked at when the hooks are installed and commands were to be checked
     * @param error why the agent's settings could not be read, or null
     */
    record Agent(AgentAdapter adapter, HookInstaller installer, int installed, Map<String, Optional<String>> commands,
            List<HookInstaller.Problem> problems, List<String> notes, String error) {
        List<String> commandProblems() {
            List<String> out = new ArrayList<>();
            commands.values().forEach(p -> p.ifPresent(out::add));
            return out;
        }
    }

    /** @param checkCommands run each hook command ({@code --help}) to see that it still works */
    static List<Agent> inspect(Path projectDir, Io io, boolean checkCommands) {
        List<Agent> out = new ArrayList<>();
        HookCommandProbe probe = new HookCommandProbe(io.ctx.env());
        for (AgentAdapter a : Agents.all()) {
            HookInstaller installer = a.installer(projectDir, io.ctx.env(), io.ctx.dirs().home());
            int installed = -1;
            Map<String, Optional<String>> commands = new LinkedHashMap<>();
            List<HookInstaller.Problem> problems = List.of();
            List<String> notes = List.of();
            String error = null;
            try {
                installed = installer.installedEvents();
                if (installed > 0 && checkCommands) {
                    for (String command : installer.installedCommands()) {
                        commands.put(command, probe.problem(command));
                    }
                    problems = installer.problems();
                }
                if (installed > 0) {
                    notes = installer.statusNotes();
                }
            } catch (ConfigException e) {
                error = e.getMessage();
            }
            out.add(new Agent(a, installer, installed, commands, problems, notes, error));
        }
        return out;
    }
}
