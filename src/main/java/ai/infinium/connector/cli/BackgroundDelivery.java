package ai.infinium.connector.cli;

import ai.infinium.connector.Context;
import ai.infinium.connector.flush.FlushWorker;
import ai.infinium.connector.hook.HookCommand;
import java.io.IOException;
import java.util.List;

/**
 * What a command a person runs does with stale sessions: it queues their turns and leaves the
 * sending to a detached flush worker, so it answers at once even with the API down or hanging
 * (retries sleep for seconds). The hook starts the same worker the same way.
 */
final class BackgroundDelivery {
    private final HookCommand.JvmStarter worker;

    BackgroundDelivery(HookCommand.JvmStarter worker) {
        this.worker = worker;
    }

    /** Queues the stale sessions' turns, starts a worker if anything is due; the sessions queued. */
    int queueStaleAndHandOver(Context ctx) throws IOException {
        int n = new FlushWorker(ctx).queueStale();
        if (ctx.deliverer().anyDue()) {
            worker.start(List.of("flush", "--stale"));
        }
        return n;
    }
}
