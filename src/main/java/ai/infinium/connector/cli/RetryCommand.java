package ai.infinium.connector.cli;

import ai.infinium.connector.export.Deliverer;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.flush.FlushWorker;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code infinium retry}: resend traces that failed for transient reasons. */
final class RetryCommand implements Command {
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
                "Usage: infinium retry [--dry-run]",
                "",
                "Flushes sessions that went silent, then resends every pending outbox entry (traces",
                "that failed for transient reasons: network errors, timeouts, 5xx, 429). Rejected",
                "entries (401/403/404/413/422) are listed by `infinium status` and not resent.",
                "Exits 0 when nothing is left pending.",
                "",
                "Options:",
                "  --dry-run   list what would be sent, send nothing");
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = Args.parse(raw, Set.of(), Set.of("--dry-run"), Map.of());
        FlushWorker worker = new FlushWorker(io.ctx);
        if (args.has("--dry-run")) {
            List<OutboxEntry> pending = io.ctx.outbox().list();
            pending.removeIf(e -> !e.pending());
            io.say(pending.size() + " pending trace(s)" + (pending.isEmpty() ? "." : ":"));
            for (OutboxEntry e : pending) {
                io.out.println("  " + e.key() + "  " + e.name() + "  (" + e.attempts() + " attempt(s)"
                        + (e.lastError() == null ? "" : ", last error: " + e.lastError()) + ")");
            }
            return OK;
        }
        worker.flushStale();
        Deliverer.Summary s = io.ctx.deliverer().deliver(e -> true, true, (e, r, done, total) ->
                io.say("[" + done + "/" + total + "] " + (r.delivered() ? "delivered" : r.outcome().name().toLowerCase())
                        + "  " + e.name() + (r.traceId() != null ? "  (trace " + r.traceId() + ")" : "")
                        + (r.delivered() ? "" : "  " + r.message())));
        io.say(s.delivered() + " delivered, " + s.pending() + " still pending, " + s.rejected() + " rejected"
                + (s.busy() > 0 ? ", " + s.busy() + " being sent by another process" : "") + ".");
        return s.pending() == 0 && s.rejected() == 0 ? OK : FAILED;
    }
}
