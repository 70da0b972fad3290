package ai.infinium.connector.export;

import ai.infinium.connector.diag.ErrorLog;
import ai.infinium.connector.spool.FileLocks;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Sends outbox entries. Each entry is claimed with a lock and re-read before sending, so racing
 * workers never send one twice at once; it leaves the outbox only after a 2xx.
 */
public final class Deliverer {
    /** Automatic retries by later flushes wait 30 s·2ⁿ, at most an hour, and stop after this many. */
    static final int MAX_AUTOMATIC_ATTEMPTS = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    public interface SecretLookup {
        Optional<String> secretFor(OutboxEntry entry);
    }

    public interface Progress {
        void delivered(OutboxEntry entry, DeliveryResult result, int done, int total);
    }

    public record Summary(int delivered, int pending, int rejected, int busy) {}

    private final Outbox outbox;
    private final History history;
    private final Exporter exporter;
    private final SecretLookup secrets;
    private final ErrorLog log;
    private final LongSupplier clock;

    public Deliverer(Outbox outbox, History history, Exporter exporter, SecretLookup secrets, ErrorLog log,
            LongSupplier clock) {
        this.outbox = outbox;
        this.history = history;
        this.exporter = exporter;
        this.secrets = secrets;
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param manual a person asked ({@code retry}): ignore the automatic schedule and attempt cap
     */
    public Summary deliver(Predicate<OutboxEntry> which, boolean manual, Progress progress) throws IOException {
        List<OutboxEntry> entries = outbox.list();
        entries.removeIf(e -> !e.pending() || !which.test(e));
        int delivered = 0;
        int pending = 0;
        int rejected = 0;
        int busy = 0;
        int done = 0;
        for (OutboxEntry listed : entries) {
            if (Thread.currentThread().isInterrupted()) {
                break; // the process is stopping: the rest stay as they are for the next delivery
            }
            if (!manual && (listed.nextAttemptAtMillis() > clock.getAsLong() || listed.attempts() >= MAX_AUTOMATIC_ATTEMPTS)) {
                pending++;
                continue;
            }
            try (FileLocks.Held claim = outbox.tryClaim(listed.key())) {
                if (claim == null) {
                    busy++;
                    continue;
                }
                Optional<OutboxEntry> current = outbox.read(listed.key());
                if (current.isEmpty() || !current.get().pending()) {
                    continue; // another worker finished it between our listing and our claim
                }
                DeliveryResult r = sendOne(current.get());
                done++;
                switch (r.outcome()) {
                    case DELIVERED: delivered++; break;
                    case REJECTED: rejected++; break;
                    default: pending++; break;
                }
                if (progress != null) {
                    progress.delivered(current.get(), r, done, entries.size());
                }
            }
        }
        return new Summary(delivered, pending, rejected, busy);
    }

    private DeliveryResult sendOne(OutboxEntry e) throws IOException {
        Optional<String> secret = secrets.secretFor(e);
        DeliveryResult r;
        if (secret.isEmpty()) {
            r = DeliveryResult.transientFailure(0, "no secret found for agent " + e.agentId()
                    + " (set INFINIUM_AGENT_SECRET or run `infinium init`)");
        } else {
            r = exporter.send(new Delivery(e.key(), JSON.writeValueAsBytes(e.payload()), e.baseUrl(), e.agentId(),
                    secret.get()));
        }
        if (r.outcome() != DeliveryResult.Outcome.DELIVERED && Thread.currentThread().isInterrupted()) {
            return r; // abandoned, not failed: no attempt counted, no backoff; the entry is resent as it is
        }
        long now = clock.getAsLong();
        switch (r.outcome()) {
            case DELIVERED:
                history.append(new HistoryEntry(Instant.ofEpochMilli(now).toString(), e.name(), r.traceId(), e.steps(),
                        e.duration(), e.key(), e.agent(), e.agentId(), e.sessionId()));
                outbox.remove(e.key());
                break;
            case REJECTED:
                outbox.update(e.failed(OutboxEntry.REJECTED, r.message(), r.httpStatus(), 0));
                log.error("trace " + e.key() + " (" + e.name() + ") rejected: " + r.message());
                break;
            default:
                long wait = Math.min(3_600_000L, 30_000L << Math.min(e.attempts(), 7));
                outbox.update(e.failed(OutboxEntry.PENDING, r.message(), r.httpStatus(), now + wait));
                log.error("trace " + e.key() + " (" + e.name() + ") not delivered, will retry: " + r.message());
                break;
        }
        return r;
    }
}
