package ai.infinium.connector.spool;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Write-then-rename, so a crash leaves either the old file or the new one, never half of one.
 * A file that exists keeps its permissions (a user's settings file stays as they set it); a new
 * one is readable only by its owner.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** A file that did not exist is created owner-only (0600), in owner-only folders where they are new. */
    public static void write(Path target, byte[] content) throws IOException {
        PrivateFiles.ensureDir(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                        : PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // Not a POSIX file system (Windows): the user profile's ACLs apply.
            }
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
