package ai.infinium.connector.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files only their owner may read (spools hold prompts and tool output; the log, history and
 * secrets are private too), and whole-line appends under an exclusive file lock: O_APPEND alone
 * does not stop two large writes from interleaving, and parallel tool calls fire hooks of one
 * session at the same time.
 */
public final class PrivateFiles {
    private PrivateFiles() {}

    /**
     * File locks belong to the whole JVM: a second thread asking for one the process already holds
     * gets an OverlappingFileLockException instead of waiting. The server appends from several
     * threads (parallel tool calls of one session), so threads first queue on a monitor; striped,
     * so the set of monitors never grows.
     */
    private static final Object[] STRIPES = new Object[64];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new Object();
        }
    }

    @SuppressWarnings("try") // the lock is held for the block's duration, never read
    public static void append(Path file, byte[] line) throws IOException {
        ensureDir(file.getParent());
        synchronized (STRIPES[Math.floorMod(file.toAbsolutePath().normalize().hashCode(), STRIPES.length)]) {
            try (FileChannel lockCh = open(appendLockOf(file));
                    FileLock ignored = lockCh.lock();
                    // READ to see how the file ends; no APPEND (Java refuses it with READ): every
                    // writer holds the append lock, so writing at the size found is appending.
                    FileChannel ch = openOwnerOnly(file, java.util.Set.of(StandardOpenOption.CREATE,
                            StandardOpenOption.READ, StandardOpenOption.WRITE,
                            java.nio.file.LinkOption.NOFOLLOW_LINKS))) {
                appendWhole(ch, line);
            }
        }
    }

    /**
     * Writes {@code line} at the end, starting on a line boundary, or not at all: a write cut
     * short (a full disk) is truncated back, and a file left ending mid-line (by an older writer,
     * a crash) gets a newline first. So a failed append loses only its own event, and the next
     * one is never glued onto a partial line.
     */
    private static void appendWhole(FileChannel ch, byte[] line) throws IOException {
        long start = ch.size();
        boolean midLine = false;
        if (start > 0) {
            ByteBuffer last = ByteBuffer.allocate(1);
            midLine = ch.read(last, start - 1) == 1 && last.get(0) != '\n';
        }
        ByteBuffer buf = ByteBuffer.allocate(line.length + (midLine ? 1 : 0));
        if (midLine) {
            buf.put((byte) '\n');
        }
        buf.put(line).flip();
        try {
            long at = start;
            while (buf.hasRemaining()) {
                at += ch.write(buf, at);
            }
        } catch (IOException e) {
            try {
                ch.truncate(start);
            } catch (IOException cannot) {
                e.addSuppressed(cannot); // the next append starts with a newline instead
            }
            throw e;
        }
    }

    /**
     * The lock appends take, beside the file rather than on it: closing any handle on a file drops
     * every lock this process holds on it, and the server reads a spool while another of its
     * threads appends to it. Nothing ever reads the lock file, so its lock holds.
     */
    public static Path appendLockOf(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".lock");
    }

    /** Opens for appending; a file it creates is readable only by its owner (spools hold prompts and output). */
    private static FileChannel open(Path file) throws IOException {
        // Never through a link: a planted one would send the user's events into another file.
        return openOwnerOnly(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    /** Opens with {@code options}; a file it creates is readable and writable by its owner only. */
    public static FileChannel openOwnerOnly(Path file, java.util.Set<java.nio.file.OpenOption> options) throws IOException {
        try {
            return FileChannel.open(file, options,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(file, options);
        }
    }

    /** Creates the directory (and parents) readable only by the owner where the OS allows it. */
    public static void ensureDir(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    /** Makes an existing file readable and writable by its owner only (it now holds a token). */
    public static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Windows: the user profile's ACLs apply
        }
    }
}
