package ai.infinium.connector.spool;

import ai.infinium.connector.io.FileCursor;
import java.util.List;

/**
 * Where the next flush starts reading the spool, and what it needs from the lines before that
 * point: the lines it re-reads by offset (session context, tool calls still waiting for their
 * result) and the turns those lines made.
 */
public record SpoolResume(FileCursor cursor, List<LineRef> context, TurnLedger turns) {
    /** A spool line the next flush re-reads: its number (its identity) and where it starts. */
    public record LineRef(int line, long offset) {}

    public SpoolResume {
        context = List.copyOf(context);
    }
}
