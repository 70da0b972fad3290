package ai.infinium.connector.spool;

import ai.infinium.connector.io.FileCursor;
import ai.infinium.connector.io.JsonLines;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Replays a spool. Line numbers are positions in the append-only file, so they identify an
 * event for good; a line that does not parse (a write cut short by a full disk) is skipped.
 */
public final class SpoolReader {
    private static final ObjectMapper JSON = LargeJson.mapper();

    private SpoolReader() {}

    /**
     * Hands each event from {@code from} on to {@code sink}, one at a time (so a long spool is
     * never all in memory as trees), and returns where the next read should start: after the
     * last complete line (a line still being appended is read now and again next time).
     *
     * @param skip top-level event fields nobody reads, skipped instead of built into the tree
     *     (Claude Code's PostToolBatch repeats every tool's input and output)
     */
    public static FileCursor read(Path spool, FileCursor from, Set<String> skip, Consumer<SpooledEvent> sink)
            throws IOException {
        return read(spool, from, skip, sink, () -> { });
    }

    /** @param damaged told of each whole line that is no event (invalid UTF-8, garbage): it is skipped */
    public static FileCursor read(Path spool, FileCursor from, Set<String> skip, Consumer<SpooledEvent> sink,
            Runnable damaged) throws IOException {
        if (!Files.exists(spool)) {
            return from;
        }
        JsonLines.Position end = JsonLines.scan(spool, from.offset(), from.line(), (buf, off, len, start, n, done) -> {
            SpooledEvent e = parse(n, start, buf, off, len, skip);
            if (e != null) {
                sink.accept(e);
            } else if (done && len > 0) {
                damaged.run(); // a line still being written (not done) is read again next time
            }
            return true;
        });
        return FileCursor.at(spool, end.end(), end.lines(), Map.of());
    }

    /** The one event whose line starts at {@code offset}, or null if it is not there (any more). */
    public static SpooledEvent readAt(Path spool, int lineNo, long offset, Set<String> skip) throws IOException {
        SpooledEvent[] found = {null};
        if (Files.exists(spool) && offset >= 0 && offset < Files.size(spool)) {
            JsonLines.scan(spool, offset, lineNo - 1, (buf, off, len, start, n, done) -> {
                found[0] = parse(n, start, buf, off, len, skip);
                return false;
            });
        }
        return found[0];
    }

    private static SpooledEvent parse(int lineNo, long offset, byte[] buf, int off, int len, Set<String> skip) {
        try (JsonParser p = JSON.getFactory().createParser(buf, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String at = "";
            String recovered = null;
            boolean planned = false;
            ObjectNode event = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("event") && t == JsonToken.START_OBJECT) {
                    event = event(p, skip);
                } else if (name.equals("received_at") && t.isScalarValue()) {
                    at = p.getText();
                } else if (name.equals("recovered") && t.isScalarValue() && t != JsonToken.VALUE_NULL) {
                    recovered = p.getText();
                } else if (name.equals("planned") && t == JsonToken.VALUE_TRUE) {
                    planned = true;
                } else {
                    p.skipChildren();
                }
            }
            if (event == null || p.currentToken() != JsonToken.END_OBJECT) {
                return null; // not an event, or a line cut short
            }
            long millis;
            try {
                millis = Instant.parse(at).toEpochMilli();
            } catch (DateTimeParseException e) {
                millis = 0;
            }
            return new SpooledEvent(lineNo, offset, at, millis, event, recovered, planned);
        } catch (IOException e) {
            return null;
        }
    }

    private static ObjectNode event(JsonParser p, Set<String> skip) throws IOException {
        ObjectNode event = JSON.getNodeFactory().objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (skip.contains(name)) {
                p.skipChildren();
            } else {
                event.set(name, JSON.readTree(p));
            }
        }
        return event;
    }
}
