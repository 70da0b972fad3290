package ai.infinium.connector.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The spool folder sits in a shared, sticky temp dir where any local user may have created
 * {@code infinium-<you>} first, as a folder of theirs or a link to one, to read or redirect what
 * the hooks record. It is used only when it is a real folder (never a link), owned by us, and
 * owner-only (a looser mode of our own is tightened); otherwise the spool goes to a private
 * folder under the state dir and {@link #refusal()} says why.
 */
final class SessionDirGuard {
    private final Path chosen;
    private final String refusal;

    private SessionDirGuard(Path chosen, String refusal) {
        this.chosen = chosen;
        this.refusal = refusal;
    }

    /**
     * @param linkAllowed the folder was named by the user ({@code CONNECTOR_SESSION_DIR}): a link
     *     there is theirs to make
     * @param home the user's home, whose owner is us where there is no {@code /proc/self}
     */
    static SessionDirGuard check(Path wanted, Path fallback, boolean linkAllowed, Path home) {
        String problem;
        try {
            problem = problem(wanted, linkAllowed, home);
        } catch (IOException e) {
            problem = "it cannot be checked (" + ai.infinium.connector.diag.ErrorWords.of(e) + ")";
        }
        return problem == null ? new SessionDirGuard(wanted, null)
                : new SessionDirGuard(fallback, wanted + " is not used: " + problem + "; the spool is in " + fallback);
    }

    Path chosen() {
        return chosen;
    }

    /** Why the wanted folder was refused, or null when it is in use. */
    String refusal() {
        return refusal;
    }

    /** Null when {@code dir} is (now) a safe spool folder; else what is wrong with it. */
    private static String problem(Path dir, boolean linkAllowed, Path home) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            ai.infinium.connector.spool.PrivateFiles.ensureDir(dir.getParent());
            try {
                // createDirectory, not createDirectories: it fails rather than follow a link planted meanwhile.
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // someone made it between our look and our create: judge it below like any other
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectory(dir);
                return null; // Windows: the user's profile ACLs protect it
            }
        }
        Map<String, Object> a;
        LinkOption[] how = linkAllowed ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        try {
            a = Files.readAttributes(dir, "unix:uid,mode,isDirectory,isSymbolicLink", how);
        } catch (UnsupportedOperationException notUnix) {
            return null;
        }
        if (Boolean.TRUE.equals(a.get("isSymbolicLink"))) {
            return "it is a symbolic link (to " + Files.readSymbolicLink(dir) + ")";
        }
        if (!Boolean.TRUE.equals(a.get("isDirectory"))) {
            return "it is not a folder";
        }
        Integer me = currentUid(home);
        if (me != null && !me.equals(a.get("uid"))) {
            return "it belongs to another user (uid " + a.get("uid") + ")";
        }
        int mode = (Integer) a.get("mode") & 0777;
        if ((mode & 0077) != 0) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            if ((mode & 0022) != 0 && me != null) {
                removeOthersEntries(dir, me); // while it was writable by others, anyone could plant a file
            }
        }
        return null;
    }

    /**
     * Entries another uid put in the folder (and its agent folders) while it was open to them: a
     * file of theirs we would append to is a file they can read. They are removed, not used.
     */
    private static void removeOthersEntries(Path dir, int me) throws IOException {
        try (java.util.stream.Stream<Path> all = Files.walk(dir, 2)) {
            for (Path p : all.toList()) {
                if (!p.equals(dir) && !Integer.valueOf(me).equals(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS))) {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        try (java.util.stream.Stream<Path> inner = Files.walk(p)) { // walk follows no links
                            for (Path q : inner.sorted(java.util.Comparator.reverseOrder()).toList()) {
                                Files.deleteIfExists(q);
                            }
                        }
                    } else {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    /** This process's uid: the owner of {@code /proc/self}, else (macOS) of the home folder. */
    private static Integer currentUid(Path home) throws IOException {
        Path self = Path.of("/proc/self");
        Path probe = Files.exists(self) ? self : home;
        return Files.exists(probe) ? (Integer) Files.getAttribute(probe, "unix:uid") : null;
    }
}
