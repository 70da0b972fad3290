package ai.infinium.connector.config;

import ai.infinium.connector.spool.AtomicFiles;
import ai.infinium.connector.spool.FileLocks;
import ai.infinium.connector.spool.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;

/**
 * The per-user token every hook request to the server must carry. It lives only in owner-only
 * files (here, and in the hook settings {@code init} writes with owner-only permissions); a
 * token file another user could read is treated as already leaked and replaced.
 */
public final class ServerToken {
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private ServerToken() {}

    /** The token, created (32 random bytes) the first time any command needs it. */
    public static String loadOrCreate(ServerFiles files) throws IOException {
        String existing = readIfPrivate(files);
        return existing != null ? existing : storeUnlessPresent(files, newToken());
    }

    /**
     * The token hooks should carry, writing nothing: the stored one, or a new one for
     * {@link #storeUnlessPresent} to store once {@code init} knows all its edits are possible.
     */
    public static String storedOrNew(ServerFiles files) throws IOException {
        String existing = readIfPrivate(files);
        return existing != null ? existing : newToken();
    }

    /** Stores {@code token} unless a private token is stored already; returns the one stored. */
    public static synchronized String storeUnlessPresent(ServerFiles files, String token) throws IOException {
        PrivateFiles.ensureDir(files.dir());
        // init and a starting server may both get here at once: one stores, the other reads it.
        try (FileLocks.Held lock = FileLocks.acquire(files.dir().resolve("token.lock"), Duration.ofSeconds(10))) {
            String existing = readIfPrivate(files);
            if (existing != null) {
                return existing;
            }
            Files.deleteIfExists(files.token()); // AtomicFiles keeps an existing file's mode: start from none
            Files.deleteIfExists(files.curlHeaders());
            AtomicFiles.write(files.token(), (token + "\n").getBytes(StandardCharsets.US_ASCII));
            AtomicFiles.write(files.curlHeaders(), ("Authorization: Bearer " + token + "\n").getBytes(StandardCharsets.US_ASCII));
            return token;
        }
    }

    private static String newToken() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The stored token, or null when there is none yet or it is readable by others. */
    public static String readIfPrivate(ServerFiles files) throws IOException {
        if (!Files.isRegularFile(files.token())) {
            return null;
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(files.token());
            for (PosixFilePermission p : OTHERS) {
                if (perms.contains(p)) {
                    return null;
                }
            }
        } catch (UnsupportedOperationException ignored) {
            // Windows: the profile folder's ACLs guard it.
        }
        String t = Files.readString(files.token(), StandardCharsets.US_ASCII).trim();
        return t.length() >= 32 && t.matches("[A-Za-z0-9_-]+") ? t : null;
    }

    /** Constant-time comparison, so response timing tells nothing about the token. */
    public static boolean matches(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }
}
