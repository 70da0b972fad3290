package ai.infinium.connector.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Where a reader of an append-only file stopped: the byte offset of the next line, the number of
 * lines before it, a checksum of the bytes just before it (so a file that was replaced, not
 * appended to, is noticed even when it has grown past the offset) and whatever the reader needs
 * to interpret the lines after it (e.g. the prompt in force there).
 */
public record FileCursor(long offset, int line, long tail, Map<String, String> carry) {
    static final int TAIL_BYTES = 256;
    public static final FileCursor START = new FileCursor(0, 0, 0, Map.of());

    public FileCursor {
        carry = carry == null ? Map.of() : Map.copyOf(carry);
    }

    /** A cursor at {@code offset} of {@code file}, its tail checksum computed from the file now. */
    public static FileCursor at(Path file, long offset, int line, Map<String, String> carry) throws IOException {
        return new FileCursor(offset, line, offset == 0 ? 0 : tailSum(file, offset), carry);
    }

    public boolean atStart() {
        return offset == 0;
    }

    /**
     * Whether reading {@code file} from here continues what was read before: the file is at least
     * this long and the bytes before the offset are the ones that were there.
     */
    public boolean continues(Path file) {
        if (offset == 0) {
            return true;
        }
        try {
            return Files.size(file) >= offset && tailSum(file, offset) == tail;
        } catch (IOException e) {
            return false;
        }
    }

    private static long tailSum(Path file, long offset) throws IOException {
        int n = (int) Math.min(TAIL_BYTES, offset);
        ByteBuffer buf = ByteBuffer.allocate(n);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(offset - n);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // read the whole tail
            }
        }
        CRC32 crc = new CRC32();
        crc.update(buf.array(), 0, buf.position());
        return crc.getValue();
    }
}
