package ai.infinium.connector.hook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * One hook payload turned into one spool line, {@code {"received_at": …, "event": {…}}}, in a
 * single pass by {@link JsonLine}; the few routing fields are picked up on the way.
 */
public final class StampedEvent {
    private static final Set<String> ROUTING = Set.of("session_id", "hook_event_name", "cwd");
    private static final byte[] PREFIX = "{\"received_at\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIDDLE = "\",\"event\":".getBytes(StandardCharsets.US_ASCII);

    private final byte[] line;
    private final String sessionId;
    private final String eventName;
    private final String cwd;

    private StampedEvent(byte[] line, String sessionId, String eventName, String cwd) {
        this.line = line;
        this.sessionId = sessionId;
        this.eventName = eventName;
        this.cwd = cwd;
    }

    /** @throws IOException if the payload is not one JSON object */
    public static StampedEvent parse(byte[] payload, String receivedAt) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 64);
        out.write(PREFIX);
        out.write(receivedAt.getBytes(StandardCharsets.US_ASCII));
        out.write(MIDDLE);
        Map<String, String> routing = JsonLine.compactObject(payload, out, ROUTING);
        out.write('}');
        out.write('\n');
        return new StampedEvent(out.toByteArray(), routing.get("session_id"), routing.get("hook_event_name"),
                routing.get("cwd"));
    }

    public byte[] line() {
        return line;
    }

    public String sessionId() {
        return sessionId;
    }

    public String eventName() {
        return eventName;
    }

    public String cwd() {
        return cwd;
    }
}
