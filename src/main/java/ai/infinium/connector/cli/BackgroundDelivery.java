package ai.infinium.connector.cli;

import ai.infinium.connector.Context;
import ai.infinium.connector.config.Credentials;
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
        if (ai.infinium.connector.export.Deliverer.anyDue(ctx.outbox(), ctx.clock().getAsLong())) {
            worker.start(List.of("flush", "--stale"));
        }
        return n;
    }

    /**
     * After the credentials of a project changed: its traces that were rejected for credentials
     * go again, as the project's agent at its base URL now, in the background; how many.
     */
    int requeueRejectedOf(Context ctx, Credentials now) throws IOException {
        String project = now.project() == null ? null : now.project().projectDir().toString();
        int n = ctx.outbox().requeueRejected(e -> e.rejectedForCredentials()
                && ai.infinium.connector.export.OutboxEntry.INFINIUM.equals(e.exporter()) && project != null
                && project.equals(e.projectDir()), e -> e.requeued(now.agentId(), now.baseUrl()));
        if (n > 0) {
            worker.start(List.of("flush", "--stale"));
        }
        return n;
    }

    void sayRequeued(Io io, int requeued) {
        if (requeued > 0) {
            io.say(requeued + " trace(s) the API rejected for the previous credentials are being sent again in the "
                    + "background (`infinium status` shows how it went).");
        }
    }
}
