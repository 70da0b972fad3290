package ai.infinium.connector.export.otlp;

import java.util.Arrays;

/** Reads single fields of a small protobuf message (a receiver's answer); throws on malformed input. */
final class ProtoReader {
    private ProtoReader() {}

    /** The last length-delimited field {@code number}, or null. */
    static byte[] field(byte[] m, int number) {
        byte[] found = null;
        int[] pos = {0};
        while (pos[0] < m.length) {
            long tag = varint(m, pos);
            int field = (int) (tag >>> 3);
            int type = (int) (tag & 7);
            if (type == 2) {
                long len = varint(m, pos);
                if (len < 0 || pos[0] + len > m.length) {
                    throw new IllegalArgumentException("truncated field");
                }
                if (field == number) {
                    found = Arrays.copyOfRange(m, pos[0], pos[0] + (int) len);
                }
                pos[0] += (int) len;
            } else {
                skip(m, pos, type);
            }
        }
        return found;
    }

    /** The last varint field {@code number}, or 0. */
    static long varintField(byte[] m, int number) {
        long found = 0;
        int[] pos = {0};
        while (pos[0] < m.length) {
            long tag = varint(m, pos);
            int type = (int) (tag & 7);
            if (type == 0 && (tag >>> 3) == number) {
                found = varint(m, pos);
            } else if (type == 2) {
                long len = varint(m, pos);
                if (len < 0 || pos[0] + len > m.length) {
                    throw new IllegalArgumentException("truncated field");
                }
                pos[0] += (int) len;
            } else {
                skip(m, pos, type);
            }
        }
        return found;
    }

    private static void skip(byte[] m, int[] pos, int type) {
        switch (type) {
            case 0 -> varint(m, pos);
            case 1 -> pos[0] += 8;
            case 5 -> pos[0] += 4;
            default -> throw new IllegalArgumentException("unsupported wire type " + type);
        }
        if (pos[0] > m.length) {
            throw new IllegalArgumentException("truncated field");
        }
    }

    private static long varint(byte[] m, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= m.length) {
                throw new IllegalArgumentException("truncated varint");
            }
            byte b = m[pos[0]++];
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
