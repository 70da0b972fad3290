package ai.infinium.connector.cli.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Doctor's checks in order, printed for people or as JSON. */
public final class DoctorReport {
    private final List<Check> checks = new ArrayList<>();

    public void add(Check c) {
        checks.add(c);
    }

    public void addAll(List<Check> cs) {
        checks.addAll(cs);
    }

    public List<Check> checks() {
        return List.copyOf(checks);
    }

    public long count(Check.Level level) {
        return checks.stream().filter(c -> c.level() == level).count();
    }

    /** {@code {"checks":[{name,level,what,fix}], "errors":n, "warnings":n}}. */
    public String json() throws com.fasterxml.jackson.core.JsonProcessingException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        var list = n.putArray("checks");
        for (Check c : checks) {
            list.addObject().put("name", c.name()).put("level", c.level().word()).put("what", c.what()).put("fix", c.fix());
        }
        n.put("errors", count(Check.Level.ERROR));
        n.put("warnings", count(Check.Level.WARNING));
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(n);
    }

    /** One line per check, its fix below it; colour only when {@code colour} says the reader is a terminal. */
    public void print(PrintStream out, boolean colour) {
        int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Check c : checks) {
            String tag = switch (c.level()) {
                case OK -> paint("ok     ", "32", colour);
                case WARNING -> paint("warning", "33", colour);
                case ERROR -> paint("ERROR  ", "31;1", colour);
            };
            out.println(tag + " " + pad(c.name(), width) + "  " + c.what());
            if (c.fix() != null) {
                out.println("        " + pad("", width) + "  fix: " + c.fix());
            }
        }
        long errors = count(Check.Level.ERROR);
        long warnings = count(Check.Level.WARNING);
        out.println();
        out.println(errors == 0 && warnings == 0 ? "All " + checks.size() + " checks are ok."
                : errors + " error(s), " + warnings + " warning(s) in " + checks.size() + " checks"
                        + (errors > 0 ? ": traces will not arrive until the errors are fixed." : "."));
    }

    private static String paint(String s, String code, boolean colour) {
        return colour ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
