package ai.infinium.connector.e2e;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A bounded wait for a process the harness started, after which nothing of it is left running. The
 * agent CLIs' npm wrappers (node) run the native binary as a child, which runs hooks and commands
 * in turn, so killing only the process itself would leave the real work going.
 */
final class ProcessTree {

    private ProcessTree() {}

    /**
     * Waits up to {@code timeout} for {@code process} to exit. If it is still alive when the wait
     * ends, by timeout or by interrupt, it is killed with all its descendants. A process that exited
     * on its own keeps whatever it detached (a hook finishing after the CLI, a flush worker).
     *
     * @return whether the process exited within {@code timeout}
     */
    static boolean awaitExit(Process process, Duration timeout) throws InterruptedException {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            kill(process);
        }
    }

    private static void kill(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
