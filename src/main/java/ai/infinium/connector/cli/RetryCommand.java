package ai.infinium.connector.cli;

import ai.infinium.connector.export.Deliverer;
import ai.infinium.connector.export.Outbox;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.flush.FlushWorker;
import java.util.List;

/** {@code infinium retry}: resend traces that failed for transient reasons. */
final class RetryCommand implements Command {
    static final Options OPTIONS = Options.of(
            Option.flag("--rejected", "also resend the rejected entries"),
            Option.flag("--dry-run", "list what would be sent, send nothing"),
            Option.value("--exporter", "NAME", "only the entries for this exporter (infinium or otlp)"));

    @Override
    public String name() {
        return "retry";
    }

    @Override
    public String summary() {
        return "Resend traces waiting in the outbox";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium retry [--rejected] [--dry-run] [--exporter NAME]",
                "",
                "Flushes sessions that went silent, then resends every pending outbox entry (traces",
                "that failed for transient reasons: network errors, timeouts, 5xx, 429). Rejected",
                "entries (401/403/404/413/422) are resent only with --rejected, once you fixed the",
                "cause; `infinium update-credentials` and `infinium init` resend a project's traces that",
                "were rejected for its credentials by themselves. Exits 0 when nothing is left",
                "waiting, 1 when something still is. Each exporter (infinium, otlp) has its own entries:",
                "one that is down leaves only its own waiting.",
                "",
                OPTIONS.help());
    }

    /** What to run for what is waiting, in the words {@code status} uses too. */
    static String hint(int pending, int rejected) {
        return pending > 0 && rejected > 0 ? "`infinium retry` resends the pending ones, `infinium retry --rejected` all"
                : pending > 0 ? "`infinium retry` resends them"
                : "`infinium retry --rejected` resends them once the cause is fixed";
    }

    @Override
    public Options declaredOptions() {
        return OPTIONS;
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = OPTIONS.parse(raw);
        boolean rejectedToo = args.has("--rejected");
        String only = args.value("--exporter");
        if (only != null && !only.equals(OutboxEntry.INFINIUM) && !only.equals(OutboxEntry.OTLP)) {
            throw new UsageException("--exporter is " + OutboxEntry.INFINIUM + " or " + OutboxEntry.OTLP + " (got '" + only
                    + "')");
        }
        java.util.function.Predicate<OutboxEntry> which = e -> only == null || only.equals(e.exporter());
        if (args.has("--dry-run")) {
            List<OutboxEntry> waiting = io.ctx.outbox().list();
            waiting.removeIf(e -> !e.pending() && !rejectedToo || !which.test(e));
            io.say(waiting.size() + " trace(s) would be sent" + (waiting.isEmpty() ? "." : ":"));
            for (OutboxEntry e : waiting) {
                io.out.println("  " + e.key() + "  " + e.exporter() + " " + e.destination() + "  " + e.name() + "  ("
                        + e.status() + ", " + e.attempts() + " attempt(s)"
                        + (e.lastError() == null ? "" : ", last error: " + e.lastError()) + ")");
            }
            return OK;
        }
        if (rejectedToo) {
            int n = io.ctx.outbox().requeueRejected(which, OutboxEntry::requeued);
            io.say(n + " rejected trace(s) queued again.");
        }
        new FlushWorker(io.ctx).queueStale(); // sent below with the rest, so each is counted once
        Deliverer.Summary s = io.ctx.deliverer().deliver(which, true, (e, r, done, total) ->
                io.say("[" + done + "/" + total + "] " + (r.delivered() ? "delivered" : r.outcome().name().toLowerCase())
                        + " to " + e.exporter() + "  " + e.name() + (r.traceId() != null ? "  (trace " + r.traceId() + ")" : "")
                        + (r.delivered() ? "" : "  " + r.message())));
        // What is left is counted from the outbox, as `status` counts it: the two never disagree.
        Outbox.Counts left = io.ctx.outbox().counts();
        io.say(s.delivered() + " delivered, " + left.pending() + " still pending, " + left.rejected() + " rejected"
                + (s.busy() > 0 ? ", " + s.busy() + " being sent by another process" : "") + "."
                + (left.pending() + left.rejected() > 0 ? " " + hint(left.pending(), left.rejected()) + "." : ""));
        if (left.newestError() != null) {
            io.say("Newest error: " + left.newestError().lastError() + " (" + left.newestError().name() + ")");
        }
        for (String d : StatusCommand.damage(io, left)) {
            io.say("Damaged: " + d);
        }
        return left.pending() == 0 && left.rejected() == 0 ? OK : FAILED;
    }
}
