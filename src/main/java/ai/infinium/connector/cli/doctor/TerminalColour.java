package ai.infinium.connector.cli.doctor;

import java.util.Map;

/** Whether doctor may colour its output: only on a terminal, and never when NO_COLOR (no-color.org) is set. */
public final class TerminalColour {
    private TerminalColour() {}

    /** @param console the command's streams are the process's own (not a test's buffers) */
    public static boolean wanted(Map<String, String> env, boolean console) {
        String noColor = env.get("NO_COLOR");
        if (!console || (noColor != null && !noColor.isEmpty()) || "dumb".equals(env.get("TERM"))) {
            return false;
        }
        java.io.Console c = System.console();
        if (c == null) {
            return false; // up to JDK 21: stdin or stdout is not a terminal
        }
        try {
            // JDK 22+ returns a console even when redirected; isTerminal tells (absent before 22)
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
