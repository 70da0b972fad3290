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
    /** {@code sessionId}: Copilot CLI's camelCase spelling of the session id. */
    private static final Set<String> ROUTING = Set.of("session_id", "sessionId", "hook_event_name", "cwd");
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
        return parse(payload, receivedAt, null);
    }

    /**
     * @param hookEvent the event's name from the hook's command line, for agents whose payloads
     *     carry none (Copilot CLI): written into the event as {@code hook_event_name}, so the spool
     *     reads the same for every agent; a plain name, or null
     * @throws IOException if the payload is not one JSON object
     */
    public static StampedEvent parse(byte[] payload, String receivedAt, String hookEvent) throws IOException {
        ByteArrayOutputStream event = new ByteArrayOutputStream(payload.length + 64);
        Map<String, String> routing = JsonLine.compactObject(payload, event, ROUTING);
        byte[] compact = event.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(compact.length + 96);
        out.write(PREFIX);
        out.write(receivedAt.getBytes(StandardCharsets.US_ASCII));
        out.write(MIDDLE);
        String name = routing.get("hook_event_name");
        if (name == null && hookEvent != null) {
            name = hookEvent;
            out.write(("{\"hook_event_name\":\"" + hookEvent + "\"").getBytes(StandardCharsets.US_ASCII));
            if (compact.length > 2) {
                out.write(',');
            }
            out.write(compact, 1, compact.length - 1);
        } else {
            out.write(compact);
        }
        out.write('}');
        out.write('\n');
        String session = routing.get("session_id");
        return new StampedEvent(out.toByteArray(), session != null ? session : routing.get("sessionId"), name,
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
