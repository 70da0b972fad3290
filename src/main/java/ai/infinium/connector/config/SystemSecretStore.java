package ai.infinium.connector.config;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Where this user's secrets live: the OS keyring when one answers, else the owner-only fallback
 * file, and always able to say which and why. The keyring is opened on first use only (on Linux
 * a D-Bus round trip costs a quarter of a second), never by the hook. {@code INFINIUM_SECRET_STORE}
 * = {@code file} or {@code keyring} forces the choice.
 */
public final class SystemSecretStore implements SecretStore {
    private final FileSecretStore file;
    private final String forced;
    private SecretStore chosen;
    private final java.nio.file.Path nativeDir;
    private String fallbackReason;

    public SystemSecretStore(UserDirs dirs, Map<String, String> env) {
        this.file = FileSecretStore.inConfigDir(dirs);
        this.nativeDir = dirs.cache().resolve("jna");
        String f = env.get("INFINIUM_SECRET_STORE");
        this.forced = f == null || f.isBlank() ? null : f.trim().toLowerCase(java.util.Locale.ROOT);
    }

    private synchronized SecretStore chosen() throws IOException {
        if (chosen != null) {
            return chosen;
        }
        if ("file".equals(forced)) {
            fallbackReason = "INFINIUM_SECRET_STORE=file";
            chosen = file;
            return chosen;
        }
        try {
            // JNA unpacks its native library under Java's user.home, which ignores HOME and XDG_CACHE_HOME:
            // point it at our cache folder (owner-only) before the keyring loads it.
            if (System.getProperty("jna.tmpdir") == null) {
                ai.infinium.connector.spool.PrivateFiles.ensureDir(nativeDir);
                System.setProperty("jna.tmpdir", nativeDir.toString());
            }
            chosen = KeyringSecretStore.open();
        } catch (IOException e) {
            if ("keyring".equals(forced)) {
                throw new IOException("INFINIUM_SECRET_STORE=keyring, but " + e.getMessage(), e);
            }
            fallbackReason = noKeyringReason(e);
            chosen = file;
        }
        return chosen;
    }

    private static String noKeyringReason(IOException e) {
        boolean linux = System.getProperty("os.name", "").startsWith("Linux");
        return linux ? "no Secret Service on this machine (" + e.getMessage() + ")" : e.getMessage();
    }

    @Override
    public String kind() {
        try {
            return chosen().kind();
        } catch (IOException e) {
            return "unavailable";
        }
    }

    @Override
    public String describe() {
        try {
            SecretStore s = chosen();
            if (s == file) {
                return fallbackReason + ": stored in " + file.file() + ", readable only by you";
            }
            return s.describe();
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    @Override
    public Optional<String> get(String agentId) throws IOException {
        SecretStore s = chosen();
        Optional<String> v = s.get(agentId);
        // Secrets stored while no keyring was reachable stay readable once one is.
        return v.isPresent() || s == file ? v : file.get(agentId);
    }

    @Override
    public void put(String agentId, String secret) throws IOException {
        SecretStore s = chosen();
        s.put(agentId, secret);
        if (s != file) {
            file.delete(agentId); // the keyring is now the one place it lives
        }
    }

    @Override
    public void delete(String agentId) throws IOException {
        SecretStore s = chosen();
        s.delete(agentId);
        if (s != file) {
            file.delete(agentId);
        }
    }
}
