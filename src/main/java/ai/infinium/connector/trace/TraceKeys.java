package ai.infinium.connector.trace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic trace identities. The same turn always gets the same key (sent as the
 * {@code Idempotency-Key}), so any resend after a crash or a racing flush is one trace at the server.
 */
public final class TraceKeys {
    private TraceKeys() {}

    public static String of(String agent, String sessionId, String identity) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((agent + "\u0000" + sessionId + "\u0000" + identity).getBytes(StandardCharsets.UTF_8));
            byte[] d = md.digest();
            StringBuilder sb = new StringBuilder("inf-");
            for (int i = 0; i < 16; i++) {
                sb.append(Character.forDigit((d[i] >> 4) & 0xf, 16)).append(Character.forDigit(d[i] & 0xf, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
