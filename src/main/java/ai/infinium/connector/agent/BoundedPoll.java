package ai.infinium.connector.agent;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Waits, for a bounded time, for a file another process writes to reach a state: every agent
 * here fires its end-of-turn hook before its own record of the turn (transcript, rollout, chats
 * file, session log) is fully written, and none signals when it is. Clock and pause are parameters so tests can drive the wait without sleeping.
 */
public final class BoundedPoll {
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    static final Duration INTERVAL = Duration.ofMillis(50);
    public static final BoundedPoll REAL = new BoundedPoll(System::nanoTime, d -> Thread.sleep(d.toMillis()));

    private final LongSupplier nanoTime;
    private final Pause pause;

    public BoundedPoll(LongSupplier nanoTime, Pause pause) {
        this.nanoTime = nanoTime;
        this.pause = pause;
    }

    /** Tests {@code done} until it holds or {@code max} has passed; returns its last answer. */
    public boolean until(BooleanSupplier done, Duration max) {
        long deadline = nanoTime.getAsLong() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (nanoTime.getAsLong() - deadline >= 0) {
                return false;
            }
            try {
                pause.pause(INTERVAL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
