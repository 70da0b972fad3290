package ai.infinium.connector.cli;

import ai.infinium.connector.flush.FlushReason;
import ai.infinium.connector.flush.FlushWorker;
import ai.infinium.connector.spool.SessionFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code infinium flush}: the worker the hook starts detached. Not for people, but harmless:
 * it only sends what the spool holds.
 */
final class FlushCommand implements Command {
    static final Options OPTIONS = Options.of(
            Option.value("--session-file", "FILE", "the session's spool file to send the finished turns of"),
            Option.value("--reason", "turn-end|session-end", "why the hook started the flush"),
            Option.flag("--stale", "every session silent for longer than CONNECTOR_SESSION_TTL instead"));

    @Override
    public String name() {
        return "flush";
    }

    @Override
    public String summary() {
        return "(internal) build and send the traces of a session";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium flush --session-file FILE [--reason turn-end|session-end]",
                "       infinium flush --stale",
                "",
                "Started by the hook in the background; sends the finished turns of one session, or",
                "of every session silent for longer than CONNECTOR_SESSION_TTL.",
                "",
                OPTIONS.help());
    }

    @Override
    public Options declaredOptions() {
        return OPTIONS;
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = OPTIONS.parse(raw);
        FlushWorker worker = new FlushWorker(io.ctx);
        if (args.has("--stale")) {
            worker.flushStale();
            return OK;
        }
        String file = args.value("--session-file");
        if (file == null) {
            throw new UsageException("flush needs --session-file or --stale");
        }
        Path spool = Path.of(file).toAbsolutePath().normalize();
        Path root = io.ctx.dirs().sessions().toAbsolutePath().normalize();
        if (!spool.startsWith(root)) {
            io.err.println("infinium flush: " + spool + " is not inside the session directory " + root);
            return FAILED;
        }
        worker.flushSession(new SessionFiles(spool), FlushReason.parse(args.value("--reason")));
        worker.flushStale();
        return OK;
    }
}
