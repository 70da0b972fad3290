package ai.infinium.connector.flush;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.io.FileCursor;
import ai.infinium.connector.spool.SpoolReader;
import ai.infinium.connector.spool.SpoolResume;
import ai.infinium.connector.spool.SpooledEvent;
import ai.infinium.connector.spool.TurnLedger;
import ai.infinium.connector.trace.TurnAssembler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The events one flush works with: the spool's lines from the saved cursor on ({@link #fresh}),
 * plus the few earlier lines later traces need, re-read by offset ({@link #context}), and the
 * turns the earlier lines made. Without a usable cursor (a state from an earlier version, a spool
 * that is not the one the cursor was taken in, an adapter that needs the whole spool) it is the
 * whole spool, exactly as a first flush reads it.
 */
final class SessionReplay {
    final List<AgentEvent> context;
    final List<AgentEvent> fresh;
    final TurnLedger ledger;
    final List<SpoolResume.LineRef> contextRefs;
    final FileCursor start;
    final FileCursor end;
    private final LineOffsets offsets;
    private final List<AgentEvent> inSpoolOrder;
    private final int damagedLines;

    private SessionReplay(List<AgentEvent> context, List<SpoolResume.LineRef> contextRefs, TurnLedger ledger,
            FileCursor start, Fresh fresh) {
        this.context = context;
        this.contextRefs = contextRefs;
        this.ledger = ledger;
        this.start = start;
        this.fresh = fresh.events();
        this.end = fresh.end();
        this.offsets = fresh.offsets();
        this.inSpoolOrder = fresh.inSpoolOrder();
        this.damagedLines = fresh.damaged();
    }

    /** Whole spool lines this read skipped because they were no event (each lost only itself). */
    int damagedLines() {
        return damagedLines;
    }

    static SessionReplay read(AgentAdapter adapter, Path spool, SpoolResume resume) throws IOException {
        if (resume != null && adapter.normalizesAlone() && resume.cursor().continues(spool)) {
            List<AgentEvent> context = new ArrayList<>();
            for (SpoolResume.LineRef ref : resume.context()) {
                SpooledEvent e = SpoolReader.readAt(spool, ref.line(), ref.offset(), adapter.unreadFields());
                if (e == null) {
                    return whole(adapter, spool); // no event where the state says: read what is there
                }
                context.add(adapter.normalize(List.of(e)).get(0));
            }
            return new SessionReplay(context, resume.context(), resume.turns(), resume.cursor(),
                    Fresh.read(adapter, spool, resume.cursor(), context));
        }
        return whole(adapter, spool);
    }

    private static SessionReplay whole(AgentAdapter adapter, Path spool) throws IOException {
        return new SessionReplay(List.of(), List.of(), TurnLedger.EMPTY, FileCursor.START,
                Fresh.read(adapter, spool, FileCursor.START, List.of()));
    }

    /**
     * The same cursor read again, with what arrived since (a turn's end landing a moment late,
     * events rebuilt from a transcript): only the lines after this read's end are read, and the
     * whole arranged again as if read in one go.
     */
    SessionReplay reread(AgentAdapter adapter, Path spool) throws IOException {
        Fresh more = inSpoolOrder == null ? Fresh.read(adapter, spool, start, context)
                : Fresh.more(adapter, spool, end, inSpoolOrder, offsets, context);
        return new SessionReplay(context, contextRefs, ledger, start, more);
    }

    /** The context lines, then the fresh ones: every event a trace of this flush may look at. */
    List<AgentEvent> all() {
        List<AgentEvent> all = new ArrayList<>(context.size() + fresh.size());
        all.addAll(context);
        all.addAll(fresh);
        return all;
    }

    TurnAssembler assembler() {
        return new TurnAssembler(ledger).addAll(fresh);
    }

    /** Where a fresh event's line starts, or -1. */
    long offsetOf(int line) {
        return offsets.offsetOf(line);
    }

    /**
     * The fresh part, normalized event by event where the adapter allows it, then in the
     * adapter's order (not always line order: see {@link AgentAdapter#arrange}).
     */
    /** @param inSpoolOrder the events before {@link AgentAdapter#arrange}, when normalized one by one; else null */
    private record Fresh(List<AgentEvent> events, FileCursor end, LineOffsets offsets, List<AgentEvent> inSpoolOrder,
            int damaged) {
        /** @param context the lines before {@code from} that are read again: arranged with the fresh ones, not returned */
        static Fresh read(AgentAdapter adapter, Path spool, FileCursor from, List<AgentEvent> context)
                throws IOException {
            return read(adapter, spool, from, new ArrayList<>(), new LineOffsets(), context, 0);
        }

        /** What was read, then the lines from {@code from} (where that read ended) on. */
        static Fresh more(AgentAdapter adapter, Path spool, FileCursor from, List<AgentEvent> read, LineOffsets offsets,
                List<AgentEvent> context) throws IOException {
            return read(adapter, spool, from, new ArrayList<>(read), offsets.copy(), context, 0);
        }

        private static Fresh read(AgentAdapter adapter, Path spool, FileCursor from, List<AgentEvent> events,
                LineOffsets offsets, List<AgentEvent> context, int damagedBefore) throws IOException {
            List<SpooledEvent> batch = new ArrayList<>();
            int[] damaged = {damagedBefore};
            boolean alone = adapter.normalizesAlone();
            FileCursor end = SpoolReader.read(spool, from, adapter.unreadFields(), e -> {
                offsets.add(e.line(), e.offset());
                if (alone) {
                    events.add(adapter.normalize(List.of(e)).get(0)); // the payload tree is garbage now
                } else {
                    batch.add(e);
                }
            }, () -> damaged[0]++);
            List<AgentEvent> arranged;
            if (!alone) {
                arranged = adapter.normalize(batch);
            } else if (context.isEmpty()) {
                arranged = adapter.arrange(events);
            } else {
                List<AgentEvent> withContext = new ArrayList<>(context.size() + events.size());
                withContext.addAll(context);
                withContext.addAll(events);
                Set<AgentEvent> earlier = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                earlier.addAll(context);
                arranged = new ArrayList<>(events.size());
                for (AgentEvent e : adapter.arrange(withContext)) {
                    if (!earlier.contains(e)) {
                        arranged.add(e);
                    }
                }
            }
            return new Fresh(arranged, end, offsets, alone ? events : null, damaged[0]);
        }
    }
}
