package ai.infinium.connector.flush;

import java.util.Arrays;

/**
 * Where each spool line read in a flush starts, so the next flush's cursor and context lines can
 * point at them. Two growing arrays rather than a map: 10k lines cost 120 KB, not a boxed entry each.
 */
final class LineOffsets {
    private int[] lines = new int[64];
    private long[] offsets = new long[64];
    private int n;

    /** Lines must come in increasing order, as a spool is read. */
    void add(int line, long offset) {
        if (n == lines.length) {
            lines = Arrays.copyOf(lines, n * 2);
            offsets = Arrays.copyOf(offsets, n * 2);
        }
        lines[n] = line;
        offsets[n++] = offset;
    }

    LineOffsets copy() {
        LineOffsets c = new LineOffsets();
        c.lines = Arrays.copyOf(lines, Math.max(64, n));
        c.offsets = Arrays.copyOf(offsets, Math.max(64, n));
        c.n = n;
        return c;
    }

    /** Where the line starts, or -1 if it was not read. */
    long offsetOf(int line) {
        int i = Arrays.binarySearch(lines, 0, n, line);
        return i < 0 ? -1 : offsets[i];
    }
}
