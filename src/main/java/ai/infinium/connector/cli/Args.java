package ai.infinium.connector.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-rolled flag parsing (a CLI framework costs tens of milliseconds of start-up). Accepts
 * {@code --flag value}, {@code --flag=value} and boolean switches; anything unknown is a usage error,
 * and so is a word no flag takes: no command takes arguments, so a stray one is a mistake to point
 * out, not to ignore.
 */
public final class Args {
    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> switches = new java.util.HashSet<>();
    private final List<String> operands = new ArrayList<>();

    private Args() {}

    /**
     * @param withValue flags that take a value (long and short spellings, e.g. "--limit", "-n")
     * @param booleans switches without a value
     * @param aliases spelling → canonical name
     */
    public static Args parse(List<String> raw, Set<String> withValue, Set<String> booleans, Map<String, String> aliases)
            throws UsageException {
        return parse(raw, withValue, booleans, aliases, 0);
    }

    /** As above, for a command that also takes up to {@code operands} plain arguments (a file, {@code -}). */
    public static Args parse(List<String> raw, Set<String> withValue, Set<String> booleans, Map<String, String> aliases,
            int operands) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < raw.size(); i++) {
            String arg = raw.get(i);
            if ((!arg.startsWith("-") || arg.equals("-")) && a.operands.size() < operands) {
                a.operands.add(arg);
                continue;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                throw new UsageException("unexpected argument '" + arg + "'"
                        + (i > 0 && raw.get(i - 1).startsWith("-") ? " (" + raw.get(i - 1) + " takes no value)" : ""));
            }
            String name = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            name = aliases.getOrDefault(name, name);
            if (withValue.contains(name)) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= raw.size()) {
                        throw new UsageException(name + " needs a value");
                    }
                    v = raw.get(++i);
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
            } else if (booleans.contains(name) && inline == null) {
                a.switches.add(name);
            } else {
                throw new UsageException("unknown option " + arg);
            }
        }
        return a;
    }

    /** The flag's value (the last one, if it was given more than once). */
    public String value(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** Every value of a repeatable flag, in order. */
    public List<String> values(String name) {
        return values.getOrDefault(name, List.of());
    }

    /** The plain arguments, in order. */
    public List<String> operands() {
        return List.copyOf(operands);
    }

    public boolean has(String name) {
        return switches.contains(name);
    }

    public int intValue(String name, int dflt) throws UsageException {
        String v = value(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " takes a whole number, not '" + v + "'");
        }
    }
}
