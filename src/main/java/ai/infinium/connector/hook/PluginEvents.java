package ai.infinium.connector.hook;

import ai.infinium.connector.config.ProjectConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which events of an infinium plugin ({@code hook --via plugin}: the Claude Code plugin, or the
 * Codex one with {@code --agent codex}) to record. The plugin's hooks are the user's, so they fire
 * in every project: only a project with its {@code .infinium/config.json} (nearest {@code
 * .infinium/} at or above the event's cwd), or a session with credentials in its environment
 * ({@code INFINIUM_AGENT_ID}), is traced. And where the project's own agent settings run
 * infinium's hook too ({@code infinium init}: {@code .claude/settings*.json}, or {@code
 * .codex/hooks.json} for Codex), those record and the plugin's do not, so no event is recorded
 * twice. Stats and one substring search, no JSON parsing: this is on every event's path.
 */
public final class PluginEvents {
    /** What the plugin's hook does with an event. */
    public enum Verdict { RECORD, NOT_SET_UP, PROJECT_HOOKS }

    /** The settings files {@code init} installs Claude Code hooks into, and the one a person might copy them to. */
    public static final String[] SETTINGS_FILES = {"settings.local.json", "settings.json"};

    /** The project files Codex reads hooks from: {@code init} writes hooks.json; config.toml may hold {@code [hooks]} too. */
    static final String[] CODEX_FILES = {"hooks.json", "config.toml"};

    /** Larger settings files are not searched: no hook list is that long, and the hot path stays cheap. */
    static final int MAX_SETTINGS_BYTES = 1 << 20;

    private PluginEvents() {}

    /** The Claude Code plugin's verdict. */
    public static Verdict of(String cwd, Map<String, String> env) {
        return of("claude-code", cwd, env);
    }

    /** The verdict for an event of {@code agent}'s plugin ({@code codex}; anything else is Claude Code's). */
    public static Verdict of(String agent, String cwd, Map<String, String> env) {
        Path project = configuredProject(cwd);
        if (project == null) {
            String envAgent = env.get("INFINIUM_AGENT_ID");
            return envAgent == null || envAgent.isBlank() ? Verdict.NOT_SET_UP : Verdict.RECORD;
        }
        if ("codex".equals(agent)) {
            // Codex reads .codex/ from the session's directory up to the project root: the
            // configured project and the cwd are where init (run in either) put its hooks.
            Path here = Path.of(cwd).toAbsolutePath();
            return runsOurCodexHooks(project) || (!here.equals(project) && runsOurCodexHooks(here))
                    ? Verdict.PROJECT_HOOKS : Verdict.RECORD;
        }
        if (runsOurHooks(project)) {
            return Verdict.PROJECT_HOOKS;
        }
        String started = env.get("CLAUDE_PROJECT_DIR");
        try {
            if (started != null && !started.isBlank() && runsOurHooks(Path.of(started))) {
                return Verdict.PROJECT_HOOKS;
            }
        } catch (InvalidPathException e) {
            // not a path: Claude Code read no settings there either
        }
        return Verdict.RECORD;
    }

    /** The folder holding the nearest {@code .infinium/} at or above {@code cwd}, if it has a config; else null. */
    static Path configuredProject(String cwd) {
        if (cwd == null || cwd.isEmpty()) {
            return null;
        }
        try {
            for (Path dir = Path.of(cwd).toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path infinium = dir.resolve(ProjectConfig.DIR);
                if (Files.isDirectory(infinium)) {
                    return Files.isRegularFile(infinium.resolve(ProjectConfig.FILE)) ? dir : null;
                }
            }
        } catch (InvalidPathException e) {
            return null;
        }
        return null;
    }

    /**
     * Whether the project's Claude Code settings hold one of infinium's Claude Code hooks: a
     * command line with {@code --agent claude-code} or server mode's http URL ending in
     * {@code /hook/claude-code}, as {@code init} writes them (JsonHookSettings#isOurs, by text).
     */
    public static boolean runsOurHooks(Path project) {
        for (String name : SETTINGS_FILES) {
            Path f = project.resolve(".claude").resolve(name);
            if (Files.isRegularFile(f) && mentionsOurHook(f)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the project's {@code .codex/} runs one of infinium's Codex hooks: a command line with
     * {@code --agent codex}, as {@code init --agent codex} writes it (command or server mode).
     */
    public static boolean runsOurCodexHooks(Path project) {
        for (String name : CODEX_FILES) {
            Path f = project.resolve(".codex").resolve(name);
            if (Files.isRegularFile(f) && mentions(f, "--agent codex", null)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsOurHook(Path file) {
        return mentions(file, "--agent claude-code", "/hook/claude-code\"");
    }

    /** Whether the file's first MAX_SETTINGS_BYTES hold {@code one} or {@code other} (null: none). */
    private static boolean mentions(Path file, String one, String other) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_SETTINGS_BYTES);
        } catch (IOException e) {
            return false; // unreadable to us: Claude Code most likely cannot use it either
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.contains(one) || (other != null && text.contains(other));
    }
}
