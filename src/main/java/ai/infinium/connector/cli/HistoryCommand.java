package ai.infinium.connector.cli;

import ai.infinium.connector.export.History;
import ai.infinium.connector.export.HistoryEntry;
import java.util.List;

/** {@code infinium history}: recently delivered traces. */
final class HistoryCommand implements Command {
    static final Options OPTIONS = Options.of(
            Option.value("--limit", "N", "how many entries, newest first (default 10)").alias("-n"),
            Option.flag("--json", "one JSON object per line"),
            Option.flag("--clear", "delete the whole history (asks first)"),
            Option.flag("--yes", "with --clear: do not ask").alias("-y"));

    @Override
    public String name() {
        return "history";
    }

    @Override
    public String summary() {
        return "List recently delivered traces";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium history [-n N] [--json] [--clear]",
                "",
                OPTIONS.help());
    }

    @Override
    public Options declaredOptions() {
        return OPTIONS;
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = OPTIONS.parse(raw);
        History history = io.ctx.history();
        if (args.has("--clear")) {
            if (!args.has("--yes")) {
                // the only record of what was delivered: never gone on a stray flag
                int n = history.all().size();
                String answer = io.ask("Delete the history of " + n + " delivered trace(s)? [y/N]: ");
                if (answer == null || !answer.toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
                    io.say("History kept.");
                    return FAILED;
                }
            }
            history.clear();
            io.say("History cleared.");
            return OK;
        }
        List<HistoryEntry> entries = history.latest(args.intValue("--limit", 10));
        int damaged = history.read().damagedLines();
        if (damaged > 0) {
            io.err.println("infinium history: " + damaged + " damaged line(s) in " + history.file() + " were skipped");
        }
        if (args.has("--json")) {
            for (HistoryEntry e : entries) {
                io.out.println(History.toJson(e));
            }
            return OK;
        }
        if (entries.isEmpty()) {
            io.say("No traces delivered yet.");
            return OK;
        }
        io.out.printf("%-24s  %-8s  %-30s  %-32s  %5s  %9s%n", "DELIVERED", "TO", "NAME", "TRACE ID", "STEPS",
                "DURATION");
        for (HistoryEntry e : entries) {
            io.out.printf("%-24s  %-8s  %-30s  %-32s  %5d  %8.1fs%n", e.deliveredAt(), e.exporter(), clip(e.name(), 30),
                    clip(e.traceId() == null ? "-" : e.traceId(), 32), e.steps(), e.duration());
        }
        return OK;
    }

    static String clip(String s, int n) {
        String t = s == null ? "" : s.replace('\n', ' ');
        return t.length() <= n ? t : t.substring(0, n - 1) + "…";
    }
}
