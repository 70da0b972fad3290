package ai.infinium.connector.hook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Appends one whole line under an exclusive file lock. O_APPEND alone does not stop two large
 * writes from interleaving, and parallel tool calls fire hooks of one session at the same time.
 */
public final class SpoolAppender {
    private SpoolAppender() {}

    public static void append(Path file, byte[] line) throws IOException {
        ensurePrivateDir(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
                FileLock ignored = ch.lock()) {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }

    /** Creates the directory (and parents) readable only by the owner where the OS allows it. */
    public static void ensurePrivateDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }
}
