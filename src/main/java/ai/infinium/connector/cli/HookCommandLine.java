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
        return quote(javaBin) + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp " + quote(cp.toString())
                + " ai.infinium.connector.Main hook --agent " + agent;
    }

    /** Single-quotes a path for the POSIX shell the agent runs hooks with, only when needed. */
    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_./:@%+=,-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
