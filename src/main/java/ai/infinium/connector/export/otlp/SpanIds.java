package ai.infinium.connector.export.otlp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Trace and span ids derived from the trace key, so a trace sent twice (a retry, a re-flush) is
 * the same trace at the receiver rather than a duplicate, and the same trace in gives the same
 * bytes out.
 */
final class SpanIds {
    private final String key;

    SpanIds(String key) {
        this.key = key;
    }

    /** The first 16 bytes of SHA-256("trace\0" + key). */
    byte[] traceId() {
        return nonZero(Arrays.copyOf(sha256("trace\0" + key), 16));
    }

    /** The first 8 bytes of SHA-256(key + "\0" + role), the role naming the span's place: root, step:3, chat:0. */
    byte[] spanId(String role) {
        return nonZero(Arrays.copyOf(sha256(key + "\0" + role), 8));
    }

    static String hex(byte[] id) {
        return HexFormat.of().formatHex(id);
    }

    /** OTLP reads an all-zero id as "no id"; one hash in 2^64 would be. */
    private static byte[] nonZero(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return id;
            }
        }
        id[id.length - 1] = 1;
        return id;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
