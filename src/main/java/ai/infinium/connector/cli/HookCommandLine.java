package ai.infinium.connector.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The command line {@code init} installs into the agent's settings. It must be absolute (agents
 * run hooks from any cwd) and should go through the launcher, which adds the class-data archive
 * and hook JVM flags; the launcher announces itself in {@code INFINIUM_LAUNCHER}.
 */
final class HookCommandLine {
    private HookCommandLine() {}

    static String forAgent(String agent, Map<String, String> env) {
        String launcher = env.get("INFINIUM_LAUNCHER");
        if (launcher != null && !launcher.isBlank() && Files.isRegularFile(Path.of(launcher))) {
            return quote(Path.of(launcher).toAbsolutePath().normalize().toString()) + " hook --agent " + agent;
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder cp = new StringBuilder();
        for (String part : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            cp.append(cp.length() == 0 ? "" : java.io.File.pathSeparator).append(Path.of(part).toAbsolutePath().normalize());
        }
        // The main class name keeps the line recognisable as ours (for re-init and uninstall).
        return quote(javaBin) + " " + String.join(" ", ai.infinium.connector.hook.HookCommand.JVM_FLAGS) + " -cp "
                + quote(cp.toString())
                + " ai.infinium.connector.Main hook --agent " + agent;
    }

    /**
     * The program a hook command line starts: its first word, with the quoting {@link #quote}
     * writes (and a person's double quotes or backslashes) undone.
     */
    static String executable(String commandLine) {
        StringBuilder word = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\\' && i + 1 < commandLine.length() && quote != '"') {
                word.append(commandLine.charAt(++i));
            } else if (c == '"') {
                quote = quote == '"' ? 0 : '"';
            } else if (c == '\'' && quote == 0) {
                quote = '\'';
            } else if (Character.isWhitespace(c) && quote == 0) {
                if (word.length() > 0) {
                    break;
                }
            } else {
                word.append(c);
            }
        }
        return word.toString();
    }

    /** Single-quotes a path for the POSIX shell the agent runs hooks with, only when needed. */
    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:@%+=,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
