package ai.infinium.connector.export;

import ai.infinium.connector.diag.ErrorLog;
import ai.infinium.connector.spool.FileLocks;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Sends outbox entries, each through the exporter it names. Each entry is claimed with a lock and
 * re-read before sending, so racing workers never send one twice at once; it leaves the outbox
 * only after its destination accepted it. Entries of different exporters share nothing but the
 * run: an exporter that is down leaves its own entries pending, not the others'.
 */
public final class Deliverer {
    /** Automatic retries by later flushes wait 30 s·2ⁿ, at most an hour, and stop after this many. */
    static final int MAX_AUTOMATIC_ATTEMPTS = 12;
    /** Up to this many due traces are sent one after another, in order; more go out concurrently. */
    static final int IN_ORDER_UP_TO = 8;
    /** Requests in flight at once for a backlog. */
    static final int IN_FLIGHT = 4;
    public interface Progress {
        void delivered(OutboxEntry entry, DeliveryResult result, int done, int total);
    }

    public record Summary(int delivered, int pending, int rejected, int busy) {}

    private final Outbox outbox;
    private final History history;
    private final java.util.Map<String, Exporter> exporters;
    private final ErrorLog log;
    private final LongSupplier clock;

    public Deliverer(Outbox outbox, History history, List<Exporter> exporters, ErrorLog log, LongSupplier clock) {
        this.outbox = outbox;
        this.history = history;
        this.exporters = new java.util.HashMap<>();
        exporters.forEach(x -> this.exporters.put(x.name(), x));
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param manual a person asked ({@code retry}): ignore the automatic schedule and attempt cap
     */
    public Summary deliver(Predicate<OutboxEntry> which, boolean manual, Progress progress) throws IOException {
        List<OutboxEntry> entries = outbox.list();
        entries.removeIf(e -> !e.pending() || !which.test(e));
        Tally tally = new Tally(entries.size(), progress);
        List<OutboxEntry> due = new ArrayList<>(entries.size());
        for (OutboxEntry listed : entries) {
            if (!manual && !automaticallyDue(listed)) {
                tally.pending.incrementAndGet();
            } else {
                due.add(listed);
            }
        }
        if (due.size() <= IN_ORDER_UP_TO) {
            for (OutboxEntry listed : due) {
                if (Thread.currentThread().isInterrupted()) {
                    break; // the process is stopping: the rest stay as they are for the next delivery
                }
                claimAndSend(listed.id(), tally);
            }
        } else {
            sendConcurrently(due, tally);
        }
        return tally.summary();
    }

    /**
     * Whether a delivery run started now would send anything by itself (not a person's
     * {@code retry}). Static: a command that only asks (status, cleanup) need not build the HTTP
     * client, a third of its start-up.
     */
    public static boolean anyDue(Outbox outbox, long nowMillis) throws IOException {
        for (OutboxEntry e : outbox.list()) {
            if (e.pending() && automaticallyDue(e, nowMillis)) {
                return true;
            }
        }
        return false;
    }

    private boolean automaticallyDue(OutboxEntry e) {
        return automaticallyDue(e, clock.getAsLong());
    }

    private static boolean automaticallyDue(OutboxEntry e, long nowMillis) {
        return e.nextAttemptAtMillis() <= nowMillis && e.attempts() < MAX_AUTOMATIC_ATTEMPTS;
    }

    /**
     * A backlog (after an outage, or a long session's first flush) goes out {@link #IN_FLIGHT} at
     * a time, taken oldest first: each request waits on the network far longer than it works, and
     * three hundred traces one after another take minutes against a distant API. Interrupting the
     * caller stops the senders; what they had not sent stays as it was.
     */
    private void sendConcurrently(List<OutboxEntry> due, Tally tally) throws IOException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(IN_FLIGHT, r -> {
            Thread t = new Thread(r, "infinium-delivery");
            t.setDaemon(true);
            return t;
        });
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        List<java.util.concurrent.Future<?>> senders = new ArrayList<>(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) {
            senders.add(pool.submit(() -> {
                int n;
                while (!Thread.currentThread().isInterrupted() && (n = next.getAndIncrement()) < due.size()) {
                    claimAndSend(due.get(n).id(), tally);
                }
                return null;
            }));
        }
        pool.shutdown();
        try {
            for (java.util.concurrent.Future<?> f : senders) {
                f.get();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            pool.shutdownNow();
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    private void claimAndSend(String id, Tally tally) throws IOException {
        try (FileLocks.Held claim = outbox.tryClaim(id)) {
            if (claim == null) {
                tally.busy.incrementAndGet();
                return;
            }
            Optional<OutboxEntry> current = outbox.read(id);
            if (current.isEmpty() || !current.get().pending()) {
                return; // another worker finished it between our listing and our claim
            }
            tally.add(current.get(), sendOne(current.get()));
        }
    }

    /** What one delivery run did, counted by however many senders it has. */
    private static final class Tally {
        final java.util.concurrent.atomic.AtomicInteger delivered = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger rejected = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();
        private final int total;
        private final Progress progress;
        private int done;

        Tally(int total, Progress progress) {
            this.total = total;
            this.progress = progress;
        }

        synchronized void add(OutboxEntry e, DeliveryResult r) {
            done++;
            switch (r.outcome()) {
                case DELIVERED: delivered.incrementAndGet(); break;
                case REJECTED: rejected.incrementAndGet(); break;
                default: pending.incrementAndGet(); break;
            }
            if (progress != null) {
                progress.delivered(e, r, done, total);
            }
        }

        Summary summary() {
            return new Summary(delivered.get(), pending.get(), rejected.get(), busy.get());
        }
    }

    private DeliveryResult sendOne(OutboxEntry e) throws IOException {
        DeliveryResult r = send(e);
        if (r.outcome() != DeliveryResult.Outcome.DELIVERED && Thread.currentThread().isInterrupted()) {
            return r; // abandoned, not failed: no attempt counted, no backoff; the entry is resent as it is
        }
        long now = clock.getAsLong();
        switch (r.outcome()) {
            case DELIVERED:
                history.append(new HistoryEntry(Instant.ofEpochMilli(now).toString(), e.name(), r.traceId(), e.steps(),
                        e.duration(), e.key(), e.agent(), e.agentId(), e.sessionId(), e.exporter(), e.destination()));
                outbox.remove(e.id());
                if (!"delivered".equals(r.message())) {
                    log.error("trace " + e.key() + " (" + e.name() + ") " + r.message() + " (" + e.exporter() + ")");
                }
                break;
            case REJECTED:
                outbox.update(e.failed(OutboxEntry.REJECTED, r.message(), r.httpStatus(), 0));
                log.error("trace " + e.key() + " (" + e.name() + ") rejected by " + e.exporter() + ": " + r.message());
                break;
            default:
                long wait = Math.min(3_600_000L, 30_000L << Math.min(e.attempts(), 7));
                outbox.update(e.failed(OutboxEntry.PENDING, r.message(), r.httpStatus(), now + wait));
                log.error("trace " + e.key() + " (" + e.name() + ") not delivered to " + e.exporter() + ", will retry: "
                        + r.message());
                break;
        }
        return r;
    }

    /** Through the entry's exporter; an entry no exporter here knows waits for a version that does. */
    private DeliveryResult send(OutboxEntry e) {
        Exporter exporter = exporters.get(e.exporter());
        if (exporter == null) {
            return DeliveryResult.transientFailure(0, "this version of infinium has no exporter named '" + e.exporter()
                    + "'");
        }
        ai.infinium.connector.trace.Trace trace = null;
        if (e.trace() != null) {
            try {
                trace = QueuedTraces.read(e.trace());
            } catch (com.fasterxml.jackson.core.JsonProcessingException damaged) {
                return DeliveryResult.rejected(0, "the queued trace is damaged and cannot be read: "
                        + damaged.getOriginalMessage());
            }
        }
        return exporter.deliver(e, trace);
    }
}
