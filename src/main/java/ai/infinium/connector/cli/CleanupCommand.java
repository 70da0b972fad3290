package ai.infinium.connector.cli;

import ai.infinium.connector.hook.DetachedJvm;
import ai.infinium.connector.hook.HookCommand;
import java.util.List;

/** {@code infinium cleanup}: flush, then delete, sessions silent for longer than the TTL. */
final class CleanupCommand implements Command {
    private final BackgroundDelivery delivery;


    /** @param worker starts the detached flush worker that sends what is due */
    CleanupCommand(HookCommand.JvmStarter worker) {
        this.delivery = new BackgroundDelivery(worker);
    }

    @Override
    public String name() {
        return "cleanup";
    }

    @Override
    public String summary() {
        return "Flush and delete session files older than CONNECTOR_SESSION_TTL";
    }

    @Override
    public String help() {
        return "Usage: infinium cleanup\n\nFlushes the unsent turns of every session silent for longer than "
                + "CONNECTOR_SESSION_TTL (default 3600 s) into the outbox, deletes the sessions' spool files, and "
                + "leaves the sending to a background worker (see `infinium status`).";
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Options.NONE.parse(raw); // no options: anything given is a usage error
        int n = delivery.queueStaleAndHandOver(io.ctx);
        io.say(n == 0 ? "No stale sessions." : "Flushed and removed " + n + " stale session(s).");
        return OK;
    }
}
