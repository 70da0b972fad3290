package ai.infinium.connector.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The option names in a command's help text: in each line that starts with two spaces and a dash,
 * the leading words that are options ({@code -n, --limit N  …} gives {@code -n} and {@code --limit}).
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
}
