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
                    FileChannel ch = open(file)) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
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
        java.util.Set<java.nio.file.OpenOption> options = java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND, java.nio.file.LinkOption.NOFOLLOW_LINKS);
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
