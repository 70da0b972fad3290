package ai.infinium.connector.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Reads a JSON-lines file from a byte offset, handing each line over as bytes with its start
 * offset and line number, so callers can resume where they stopped and parse bytes without a
 * UTF-8 decode into a String first. Lines end as {@link java.io.BufferedReader#readLine} ends
 * them ({@code \n}, {@code \r} or {@code \r\n}), so line numbers match the ones earlier versions
 * stored in session state.
 */
public final class JsonLines {
    private static final int CHUNK = 1 << 16;

    private JsonLines() {}

    /** Receives one line; returns false to stop reading. */
    public interface Visitor {
        /**
         * @param terminated false for a last line with no line end yet (being written, or cut short)
         */
        boolean line(byte[] buf, int off, int len, long start, int lineNo, boolean terminated) throws IOException;
    }

    /**
     * @param end the offset just after the last line end reached (where to resume)
     * @param lines the number of the last line that ended there
     */
    public record Position(long end, int lines) {}

    /**
     * Visits the lines from {@code from} (which must be a line start; {@code lineNo} is the number
     * of lines before it). A last line without its end is visited but not counted in the result,
     * and neither is one ending in a lone {@code \r} at the end of the file, since a {@code \n}
     * appended later would make both one line end.
     */
    public static Position scan(Path file, long from, int lineNo, Visitor visitor) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(from);
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            byte[] carry = new byte[0];
            int carried = 0;
            long carryStart = from;
            long pos = from;
            int n = lineNo;
            boolean skipLf = false;
            long end = from;
            int endLines = lineNo;
            int read;
            while ((read = ch.read(chunk.clear())) > 0) {
                byte[] b = chunk.array();
                int lineStart = 0;
                int i = 0;
                if (skipLf) {
                    skipLf = false;
                    if (b[0] == '\n') {
                        i = lineStart = 1;
                        end = pos + 1;
                        carryStart = end;
                    }
                }
                for (; i < read; i++) {
                    byte c = b[i];
                    // One test per byte on the hot path: JSON escapes control characters, so only
                    // \t, \n, \r and stray bytes below 0x10 get past it (UTF-8 bytes are negative).
                    if ((c & 0xF0) != 0 || c != '\n' && c != '\r') {
                        continue;
                    }
                    n++;
                    long start;
                    boolean go;
                    if (carried > 0) {
                        carry = append(carry, carried, b, lineStart, i - lineStart);
                        carried += i - lineStart;
                        start = carryStart;
                        go = visitor.line(carry, 0, carried, start, n, true);
                        carried = 0;
                    } else {
                        start = pos + lineStart;
                        go = visitor.line(b, lineStart, i - lineStart, start, n, true);
                    }
                    int termLen = 1;
                    if (c == '\r') {
                        if (i + 1 < read) {
                            termLen = b[i + 1] == '\n' ? 2 : 1;
                        } else {
                            skipLf = true; // the \n, if any, is in the next chunk
                        }
                    }
                    if (c == '\r' && i + 1 == read && ch.position() == ch.size()) {
                        return new Position(end, endLines); // a lone \r at the end: not yet a line end
                    }
                    end = pos + i + termLen;
                    endLines = n;
                    i += termLen - 1;
                    lineStart = i + 1;
                    carryStart = end;
                    if (!go) {
                        return new Position(end, endLines);
                    }
                }
                if (lineStart < read) {
                    carry = append(carry, carried, b, lineStart, read - lineStart);
                    carried += read - lineStart;
                }
                pos += read;
            }
            if (carried > 0) {
                visitor.line(carry, 0, carried, carryStart, n + 1, false);
            }
            return new Position(end, endLines);
        }
    }

    private static byte[] append(byte[] to, int used, byte[] from, int off, int len) {
        if (used + len > to.length) {
            to = Arrays.copyOf(to, Math.max(used + len, Math.max(256, to.length * 2)));
        }
        System.arraycopy(from, off, to, used, len);
        return to;
    }
}
