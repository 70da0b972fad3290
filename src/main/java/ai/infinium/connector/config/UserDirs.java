package ai.infinium.connector.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Per-user directories, taken from the environment (XDG on Unix, APPDATA/LOCALAPPDATA on
 * Windows) rather than {@code user.home}, which ignores {@code $HOME} and so breaks isolated
 * test homes and sandboxes.
 */
public final class UserDirs {
    private final Map<String, String> env;
    private SessionDirGuard sessionGuard;

    public UserDirs(Map<String, String> env) {
        this.env = env;
    }

    public Path config() {
        return base("XDG_CONFIG_HOME", "APPDATA", ".config").resolve("infinium");
    }

    /** Rebuildable files (start-up archives, native libraries unpacked for the keyring). */
    public Path cache() {
        return base("XDG_CACHE_HOME", "LOCALAPPDATA", ".cache").resolve("infinium");
    }

    public Path state() {
        return base("XDG_STATE_HOME", "LOCALAPPDATA", ".local/state").resolve("infinium");
    }

    /**
     * Where spool files live: {@code CONNECTOR_SESSION_DIR}, else {@code $TMPDIR/infinium-<user>}
     * ({@code /tmp} when TMPDIR is unset: Java's own temp dir ignores TMPDIR on Linux), provided it
     * is a folder of ours and owner-only; else {@code <state dir>/sessions} (see
     * {@link #sessionDirRefusal()}).
     */
    public synchronized Path sessions() {
        if (sessionGuard == null) {
            String dir = env.get("CONNECTOR_SESSION_DIR");
            boolean named = dir != null && !dir.isBlank();
            Path wanted = named ? Path.of(dir) : tempDir().resolve("infinium-" + userName());
            Path fallback = state().resolve("sessions");
            boolean fellBackBefore = Files.isDirectory(fallback);
            sessionGuard = SessionDirGuard.check(wanted, fallback, named, home());
            if (sessionGuard.refusal() != null) {
                try {
                    ai.infinium.connector.spool.PrivateFiles.ensureDir(fallback);
                    if (!fellBackBefore) { // said once, when it starts; `status` says it every time
                        new ai.infinium.connector.diag.ErrorLog(state()).error("session folder " + sessionGuard.refusal());
                    }
                } catch (java.io.IOException e) {
                    // the hook's own write reports what is wrong with the state dir
                }
            }
        }
        return sessionGuard.chosen();
    }

    /** Why the usual spool folder is not used (another user's, a link), or null when it is. */
    public synchronized String sessionDirRefusal() {
        sessions();
        return sessionGuard.refusal();
    }

    private Path tempDir() {
        String t = env.get("TMPDIR");
        if (t != null && !t.isBlank() && Path.of(t).isAbsolute()) {
            return Path.of(t);
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private Path base(String xdg, String windows, String homeRelative) {
        String v = env.get(xdg);
        if (v != null && !v.isBlank()) {
            return Path.of(v);
        }
        if (isWindows()) {
            String w = env.get(windows);
            if (w != null && !w.isBlank()) {
                return Path.of(w);
            }
        }
        return home().resolve(homeRelative);
    }

    public Path home() {
        String h = env.get("HOME");
        if (h == null || h.isBlank()) {
            h = env.get("USERPROFILE");
        }
        return Path.of(h == null || h.isBlank() ? System.getProperty("user.home") : h);
    }

    private String userName() {
        String u = env.get("USER");
        if (u == null || u.isBlank()) {
            u = env.get("USERNAME");
        }
        if (u == null || u.isBlank()) {
            u = System.getProperty("user.name", "user");
        }
        return u.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
