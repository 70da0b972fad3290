package ai.infinium.connector.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A command's options, in the order its {@code --help} lists them. */
final class Options {
    static final Options NONE = new Options(List.of());
    /**
     * Labels longer than this do not widen the column (it would push every description right); their
     * description starts two spaces after them instead of three.
     */
    private static final int MAX_LABEL_WIDTH = 21;
    private static final int GAP = 3;

    private final List<Option> list;

    private Options(List<Option> list) {
        List<String> seen = new ArrayList<>();
        for (Option o : list) {
            for (String s : o.spellings()) {
                if (seen.contains(s) || s.equals("--help") || s.equals("-h")) {
                    throw new IllegalArgumentException("option " + s + " is declared twice (or is --help, which Cli owns)");
                }
                seen.add(s);
            }
        }
        this.list = List.copyOf(list);
    }

    static Options of(Option... options) {
        return new Options(List.of(options));
    }

    /** These options followed by {@code more}'s: one help section for a command whose parts parse apart. */
    Options and(Options more) {
        List<Option> all = new ArrayList<>(list);
        all.addAll(more.list);
        return new Options(all);
    }

    List<Option> list() {
        return list;
    }

    /** Every spelling, short before long, in help order: what completion offers. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (Option o : list) {
            out.addAll(o.spellings());
        }
        return out;
    }

    /** The option spelled so (long name or alias). */
    Optional<Option> find(String spelling) {
        return list.stream().filter(o -> o.spellings().contains(spelling)).findFirst();
    }

    /** Parses a command that takes no plain arguments. */
    Args parse(List<String> raw) throws UsageException {
        return Args.parse(raw, this, 0);
    }

    /** Parses a command that takes up to {@code operands} plain arguments (a file, {@code -}). */
    Args parse(List<String> raw, int operands) throws UsageException {
        return Args.parse(raw, this, operands);
    }

    /**
     * The "Options:" section of {@code --help}: two spaces, the label column, the description's lines
     * aligned after it; empty when there are none. The description lines are printed as declared
     * (already wrapped), so a long one stays where its author broke it.
     */
    String help() {
        if (list.isEmpty()) {
            return "";
        }
        int width = list.stream().mapToInt(o -> o.label().length()).filter(n -> n <= MAX_LABEL_WIDTH).max()
                .orElse(MAX_LABEL_WIDTH);
        String indent = " ".repeat(2 + width + GAP);
        StringBuilder s = new StringBuilder("Options:");
        for (Option o : list) {
            String label = o.label();
            s.append("\n  ").append(label).append(" ".repeat(label.length() > width ? 2 : width - label.length() + GAP))
                    .append(o.help().get(0));
            for (String line : o.help().subList(1, o.help().size())) {
                s.append('\n').append(indent).append(line);
            }
        }
        return s.toString();
    }
}
