package ai.infinium.connector.serve;

import ai.infinium.connector.diag.ErrorLog;
import ai.infinium.connector.flush.FlushReason;
import ai.infinium.connector.flush.FlushWorker;
import ai.infinium.connector.hook.EventRecorder;
import ai.infinium.connector.hook.FlushTrigger;
import ai.infinium.connector.spool.SessionFiles;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's in-process flush: what the command hook hands to a fresh JVM, done on two warm
 * threads. One thread queues traces (session locks are per process, so one thread never meets
 * its own lock); the other delivers, coalescing requests, so an API that is down or slow delays
 * delivery but never the queueing of the next turn.
 */
final class FlushScheduler {
    private final FlushWorker worker;
    private final ErrorLog log;
    private final ExecutorService queueing = Executors.newSingleThreadExecutor(named("infinium-queue"));
    private final ExecutorService delivering = Executors.newSingleThreadExecutor(named("infinium-deliver"));
    private final AtomicBoolean deliveryRequested = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong tracesQueued = new AtomicLong();

    FlushScheduler(FlushWorker worker, ErrorLog log) {
        this.worker = worker;
        this.log = log;
    }

    /** Called after an event was recorded. */
    void after(EventRecorder.Outcome outcome) {
        if (outcome.trigger() != FlushTrigger.NONE) {
            FlushReason reason = outcome.trigger() == FlushTrigger.SESSION_END ? FlushReason.SESSION_END
                    : FlushReason.TURN_END;
            SessionFiles files = new SessionFiles(outcome.spool());
            submit(() -> tracesQueued.addAndGet(worker.queue(files, reason).size()));
        } else if (outcome.staleScanDue()) {
            staleScan();
        }
    }

    /** Flushes and removes sessions silent for longer than the TTL (SessionEnd may never fire). */
    void staleScan() {
        submit(() -> worker.queueStale());
    }

    private interface Job {
        void run() throws Exception;
    }

    private void submit(Job job) {
        inFlight.incrementAndGet();
        try {
            queueing.execute(() -> {
                try {
                    job.run();
                } catch (Exception | Error e) {
                    log.error("server: flush failed: " + e);
                } finally {
                    inFlight.decrementAndGet();
                }
                requestDelivery();
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            inFlight.decrementAndGet(); // shutting down: the spool keeps the events for the next flush
        }
    }

    void requestDelivery() {
        if (!deliveryRequested.compareAndSet(false, true)) {
            return; // a delivery is already waiting to start and will see this entry too
        }
        inFlight.incrementAndGet();
        try {
            delivering.execute(() -> {
                deliveryRequested.set(false);
                try {
                    worker.deliverDue();
                } catch (Exception | Error e) {
                    log.error("server: delivery failed: " + e);
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            deliveryRequested.set(false);
            inFlight.decrementAndGet();
        }
    }

    boolean busy() {
        return inFlight.get() > 0;
    }

    long tracesQueued() {
        return tracesQueued.get();
    }

    /** Finishes queued flushes, then gives delivery up to {@code deliverMillis}; the outbox keeps the rest. */
    void drain(long queueMillis, long deliverMillis) throws InterruptedException {
        queueing.shutdown();
        queueing.awaitTermination(queueMillis, TimeUnit.MILLISECONDS);
        delivering.shutdown();
        if (!delivering.awaitTermination(deliverMillis, TimeUnit.MILLISECONDS)) {
            // The send in progress is abandoned; the Deliverer records nothing for an interrupted
            // attempt, so the entry is resent later under the same key, and no other entry is touched.
            delivering.shutdownNow();
            // Let the interrupted send let go of its entry before the stop counts as done: a
            // `retry` right after the stop must find it free, not claimed by a dying thread.
            delivering.awaitTermination(RELEASE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** How long a stop waits for an interrupted send to unwind. */
    static final long RELEASE_MILLIS = 2_000;

    private static ThreadFactory named(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
