package ai.infinium.connector.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The words a command takes first, read from its usage lines ({@code server start|stop|status}):
 * they are part of the usage prose, not options, so they have no declaration of their own.
 */
final class UsageWords {
    private UsageWords() {}

    /**
     * The words a command takes first, from its usage lines: {@code infinium server start …} and
     * {@code infinium server stop} give {@code start} and {@code stop}; {@code bash|zsh|fish} gives all three.
     */
    static List<String> of(String command, String help) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^(?:Usage:)?\\s+infinium "
                + java.util.regex.Pattern.quote(command) + " ([a-z][a-z|-]*)").matcher(help);
        while (m.find()) {
            for (String w : m.group(1).split("\\|")) {
                if (!w.isEmpty() && !out.contains(w)) {
                    out.add(w);
                }
            }
        }
        return out;
    }
}
