package ai.infinium.connector.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hand-rolled flag parsing (a CLI framework costs tens of milliseconds of start-up), driven by a
 * command's {@link Options}. Accepts {@code --flag value}, {@code --flag=value}, short aliases and
 * boolean switches; anything undeclared is a usage error, and so is a word no flag takes: a command
 * takes no arguments unless it says how many, so a stray one is a mistake to point out, not to ignore.
 */
public final class Args {
    private final Options declared;
    private final Map<String, List<String>> values = new HashMap<>();
    private final Set<String> switches = new java.util.HashSet<>();
    private final List<String> operands = new ArrayList<>();

    private Args(Options declared) {
        this.declared = declared;
    }

    /** See {@link Options#parse(List, int)}. */
    static Args parse(List<String> raw, Options options, int operands) throws UsageException {
        Args a = new Args(options);
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
            Option option = options.find(name).orElse(null);
            if (option != null && option.takesValue()) {
                String v = inline;
                if (v == null) {
                    if (i + 1 >= raw.size()) {
                        throw new UsageException(option.name() + " needs a value");
                    }
                    v = raw.get(++i);
                }
                a.values.computeIfAbsent(option.name(), k -> new ArrayList<>()).add(v);
            } else if (option != null && inline == null) {
                a.switches.add(option.name());
            } else {
                throw new UsageException("unknown option " + arg);
            }
        }
        return a;
    }

    /** The declaration a command asks about: asking for one it never declared is a bug in the command. */
    private Option declared(String name, boolean value) {
        Option o = declared.find(name).filter(d -> d.name().equals(name)).orElseThrow(
                () -> new IllegalArgumentException(name + " is not a declared option (ask by its long name)"));
        if (o.takesValue() != value) {
            throw new IllegalArgumentException(name + (value ? " is a switch: use has()" : " takes a value: use value()"));
        }
        return o;
    }

    /** The flag's value (the last one, if it was given more than once). */
    public String value(String name) {
        declared(name, true);
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    /** Every value of a repeatable flag, in order. */
    public List<String> values(String name) {
        if (!declared(name, true).repeatable()) {
            throw new IllegalArgumentException(name + " is not declared repeatable: its last value is value()");
        }
        return values.getOrDefault(name, List.of());
    }

    /** The plain arguments, in order. */
    public List<String> operands() {
        return List.copyOf(operands);
    }

    public boolean has(String name) {
        declared(name, false);
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
