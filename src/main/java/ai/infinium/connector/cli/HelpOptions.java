package ai.infinium.connector.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The option names in a command's help text: in each line that starts with two spaces and a dash,
 * the leading words that are options ({@code -n, --limit N  …} gives {@code -n} and {@code --limit});
 * and the words its usage lines start with.
 */
final class HelpOptions {
    private HelpOptions() {}

    static List<String> of(String help) {
        List<String> out = new ArrayList<>();
        for (String line : help.split("\n")) {
            if (!line.startsWith("  -")) {
                continue;
            }
            for (String word : line.strip().split("\\s+")) {
                String name = word.replaceAll(",$", "");
                int eq = name.indexOf('=');
                if (eq > 0) {
                    name = name.substring(0, eq);
                }
                if (!name.matches("--?[A-Za-z0-9][A-Za-z0-9-]*")) {
                    break;
                }
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /**
     * The words a command takes first, from its usage lines: {@code infinium server start …} and
     * {@code infinium server stop} give {@code start} and {@code stop}; {@code bash|zsh|fish} gives all three.
     */
    static List<String> words(String command, String help) {
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
