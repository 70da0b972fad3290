package ai.infinium.connector.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Cross-process exclusive locks on lock files. The OS drops a lock when its holder dies, so a
 * flush worker killed mid-send never leaves a session locked.
 */
public final class FileLocks {
    private FileLocks() {}

    public interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** Waits up to {@code timeout}; returns null if the lock stayed busy. */
    public static Held acquire(Path lockFile, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Held h = tryAcquire(lockFile);
            if (h != null) {
                return h;
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    public static Held tryAcquire(Path lockFile) throws IOException {
        PrivateFiles.ensureDir(lockFile.getParent());
        FileChannel ch = PrivateFiles.openOwnerOnly(lockFile, java.util.Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            return null;
        }
        FileLock held = lock;
        return () -> {
            try {
                held.release();
            } finally {
                ch.close();
            }
        };
    }
}
