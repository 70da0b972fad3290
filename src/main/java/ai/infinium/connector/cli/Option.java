package ai.infinium.connector.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * One option of a command, declared once: {@link Options} parses it, prints it under "Options:" in
 * {@code --help} and hands its spellings to shell completion, so the three cannot drift apart.
 *
 * @param name the long spelling, {@code --limit}
 * @param alias the short spelling, {@code -n}, or null
 * @param valueName what the value is called in the help ({@code N}, {@code turn|session}), or null for a switch
 * @param repeatable every value counts ({@link Args#values}), not only the last
 * @param help the description, one string per line as printed (already wrapped)
 */
record Option(String name, String alias, String valueName, boolean repeatable, List<String> help) {
    Option {
        if (!name.matches("--[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("an option's name is --lower-case-words, not '" + name + "'");
        }
        if (alias != null && !alias.matches("-[A-Za-z0-9]")) {
            throw new IllegalArgumentException("an option's alias is a dash and one letter, not '" + alias + "'");
        }
        if (repeatable && valueName == null) {
            throw new IllegalArgumentException(name + ": only an option with a value can be repeatable");
        }
        if (help.isEmpty()) {
            throw new IllegalArgumentException(name + " needs a description for --help");
        }
        help = List.copyOf(help);
    }

    /** A switch: present or not. */
    static Option flag(String name, String... help) {
        return new Option(name, null, null, false, List.of(help));
    }

    /** An option that takes a value, {@code --name VALUE} or {@code --name=VALUE}. */
    static Option value(String name, String valueName, String... help) {
        return new Option(name, null, valueName, false, List.of(help));
    }

    Option alias(String shortName) {
        return new Option(name, shortName, valueName, repeatable, help);
    }

    Option repeating() {
        return new Option(name, alias, valueName, true, help);
    }

    boolean takesValue() {
        return valueName != null;
    }

    /** Its spellings, the short one first, as the help shows them. */
    List<String> spellings() {
        List<String> out = new ArrayList<>();
        if (alias != null) {
            out.add(alias);
        }
        out.add(name);
        return out;
    }

    /** The left column of its help line: {@code -n, --limit N}. */
    String label() {
        return String.join(", ", spellings()) + (valueName == null ? "" : " " + valueName);
    }
}
