package ai.infinium.connector.hook;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * One hook payload turned into one spool line, {@code {"received_at": …, "event": {…}}}, in a
 * single streaming pass (jackson-core only: data binding would triple the hook's start-up).
 * The few routing fields are picked up on the way. Jackson's default 20 M-character string
 * limit is lifted: a tool output that large is real and must be recorded, not rejected.
 */
public final class StampedEvent {
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
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 64);
        String sessionId = null;
        String eventName = null;
        String cwd = null;
        try (JsonParser p = factory.createParser(payload);
                JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("hook payload is not a JSON object");
            }
            g.writeStartObject();
            g.writeStringField("received_at", receivedAt);
            g.writeFieldName("event");
            g.writeStartObject();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                g.writeFieldName(name);
                JsonToken v = p.nextToken();
                if (v == JsonToken.VALUE_STRING) {
                    String s = p.getText();
                    switch (name) {
                        case "session_id": sessionId = s; break;
                        case "hook_event_name": eventName = s; break;
                        case "cwd": cwd = s; break;
                        default: break;
                    }
                    g.writeString(s);
                } else {
                    g.copyCurrentStructure(p);
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new IOException("hook payload is truncated");
            }
            if (p.nextToken() != null) {
                throw new IOException("hook payload has data after the JSON object");
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        out.write('\n');
        return new StampedEvent(out.toByteArray(), sessionId, eventName, cwd);
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
