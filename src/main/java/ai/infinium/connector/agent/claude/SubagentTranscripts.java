package ai.infinium.connector.agent.claude;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Claude Code keeps a session's subagent transcripts (compaction agents',
 * {@code agent-acompact-<id>.jsonl}, among them). Since 2.1.x in a folder of the session's own,
 * {@code <session>/subagents/agent-<id>.jsonl}; before, beside the session's transcript in the
 * project folder all of the project's sessions share, where only the {@code sessionId} of a
 * file's lines tells whose it is.
 */
final class SubagentTranscripts {
    private SubagentTranscripts() {}

    /** The transcripts in the session's {@code subagents} folder, by name. */
    static List<Path> nested(Path main) {
        return list(main.resolveSibling(sessionId(main)).resolve("subagents"), null);
    }

    /**
     * The {@code agent-*.jsonl} files beside the session's transcript whose first line is of the
     * session. Each is opened for its first fields, so this is for sessions of the versions that
     * kept them there (whose hooks name no turns), not for every flush.
     */
    static List<Path> beside(Path main) {
        return main.getParent() == null ? List.of() : list(main.getParent(), sessionId(main));
    }

    private static String sessionId(Path main) {
        String name = main.getFileName().toString();
        return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
    }

    /** @param ofSession when set, only the files whose first line has this {@code sessionId} */
    private static List<Path> list(Path dir, String ofSession) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "agent-*.jsonl")) {
            for (Path p : ds) {
                if (ofSession == null || ofSession.equals(firstSessionId(p))) {
                    found.add(p);
                }
            }
        } catch (IOException ignored) {
            // An unreadable folder loses only the subagents' usage, not the trace.
        }
        found.sort(null);
        return found;
    }

    /** The {@code sessionId} of the file's first line, read only as far as that field; null if none. */
    private static String firstSessionId(Path file) {
        try (InputStream in = Files.newInputStream(file);
                JsonParser p = ai.infinium.connector.spool.LargeJson.factory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("sessionId")) {
                    return t == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException unreadable) {
            // a file being written, or not JSON: not known to be the session's
        }
        return null;
    }
}
