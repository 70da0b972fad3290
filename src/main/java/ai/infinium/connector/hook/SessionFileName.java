package ai.infinium.connector.hook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Turns an untrusted session id into a file name that can never leave the session directory.
 * Real ids (UUIDs) are kept as they are so a person can find their session's file.
 */
public final class SessionFileName {
    static final int MAX_PLAIN_LENGTH = 128;

    private SessionFileName() {}

    public static String of(String sessionId) {
        if (sessionId == null || sessionId.isEmpty()) {
            return "unknown-session";
        }
        if (isPlain(sessionId)) {
            return sessionId;
        }
        return "h-" + sha256Hex(sessionId);
    }

    public static boolean isPlain(String id) {
        if (id.length() > MAX_PLAIN_LENGTH || id.charAt(0) == '.') {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String sha256Hex(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(64);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
