package ai.infinium.connector.spool;

import java.nio.file.Path;

/** The files that belong to one session: its spool and, beside it, its delivery state and lock. */
public record SessionFiles(Path spool) {
    public String stem() {
        String f = spool.getFileName().toString();
        return f.endsWith(".jsonl") ? f.substring(0, f.length() - ".jsonl".length()) : f;
    }

    public Path state() {
        return spool.resolveSibling(stem() + ".state.json");
    }

    public Path lock() {
        return spool.resolveSibling(stem() + ".lock");
    }

    public String agent() {
        return spool.getParent().getFileName().toString();
    }
}
