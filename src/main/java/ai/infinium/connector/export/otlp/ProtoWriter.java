package ai.infinium.connector.export.otlp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The few protobuf wire types OTLP's trace messages use, written by hand (no protobuf runtime). */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int I64 = 1;
    private static final int LEN = 2;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** A string field, left out when empty (proto3's default) unless {@code always}. */
    ProtoWriter string(int field, String s, boolean always) {
        if (s != null && (always || !s.isEmpty())) {
            bytes(field, s.getBytes(StandardCharsets.UTF_8), true);
        }
        return this;
    }

    ProtoWriter string(int field, String s) {
        return string(field, s, false);
    }

    ProtoWriter bytes(int field, byte[] b, boolean always) {
        if (b != null && (always || b.length > 0)) {
            tag(field, LEN);
            varint(b.length);
            out.writeBytes(b);
        }
        return this;
    }

    ProtoWriter message(int field, ProtoWriter m) {
        return bytes(field, m.toByteArray(), true);
    }

    /** An int32/int64/uint32/enum/bool field; {@code always} for members of a oneof, whose zero counts. */
    ProtoWriter int64(int field, long v, boolean always) {
        if (always || v != 0) {
            tag(field, VARINT);
            varint(v);
        }
        return this;
    }

    ProtoWriter fixed64(int field, long v, boolean always) {
        if (always || v != 0) {
            tag(field, I64);
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >>> (8 * i)) & 0xff);
            }
        }
        return this;
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
