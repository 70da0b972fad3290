package ai.infinium.connector.cli.doctor;

import ai.infinium.connector.export.Outbox;
import java.util.ArrayList;
import java.util.List;

/** What waits to be sent, what the API refused, and files that could not be read. */
public final class OutboxCheck {
    static final String NAME = "outbox";

    private OutboxCheck() {}

    /**
     * @param retryHint what to run to resend, as {@code status} words it
     * @param damage {@code status}'s lines about damaged outbox, state and history files
     */
    public static List<Check> of(Outbox.Counts counts, String retryHint, List<String> damage) {
        List<Check> out = new ArrayList<>();
        String newest = counts.newestError() == null ? "" : "; newest error: " + counts.newestError().lastError();
        if (counts.rejected() > 0) {
            out.add(Check.warning(NAME, counts.rejected() + " trace(s) refused by an exporter, " + counts.pending()
                    + " pending" + newest, "fix the cause, then " + retryHint));
        } else if (counts.pending() > 0 && counts.newestError() != null) {
            out.add(Check.warning(NAME, counts.pending() + " trace(s) waiting to be sent" + newest,
                    "they are retried by themselves; " + retryHint + " now"));
        } else {
            out.add(Check.ok(NAME, counts.pending() == 0 ? "empty" : counts.pending() + " trace(s) on their way"));
        }
        for (String d : damage) {
            out.add(Check.warning("damaged files", d, "look at them if traces are missing; nothing sends them"));
        }
        return out;
    }
}
