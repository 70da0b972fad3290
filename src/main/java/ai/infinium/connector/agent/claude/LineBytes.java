package ai.infinium.connector.agent.claude;

/** Byte tests on a transcript line that spare parsing it. */
final class LineBytes {
    private LineBytes() {}

    /**
     * Whether either quoted key or value ({@code "name"}, opening quote included) occurs in the
     * line. One pass, stopping at the first: the keys asked for sit near a line's start.
     */
    static boolean hasEither(byte[] b, int off, int len, byte[] first, byte[] second) {
        int end = off + len;
        for (int i = off; i < end - 1; i++) {
            if (b[i] != '"') {
                continue;
            }
            byte c = b[i + 1];
            if (c == first[1] && matches(b, i, end, first) || c == second[1] && matches(b, i, end, second)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the quoted key or value occurs in the line. */
    static boolean has(byte[] b, int off, int len, byte[] needle) {
        return hasEither(b, off, len, needle, needle);
    }

    private static boolean matches(byte[] b, int at, int end, byte[] needle) {
        if (at + needle.length > end) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (b[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
