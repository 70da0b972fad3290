package ai.infinium.connector.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a spool. Line numbers are positions in the append-only file, so they identify an
 * event for good; a line that does not parse (a write cut short by a full disk) is skipped.
 */
public final class SpoolReader {
    private static final ObjectMapper JSON = LargeJson.mapper();

    private SpoolReader() {}

    public static List<SpooledEvent> read(Path spool) throws IOException {
        List<SpooledEvent> events = new ArrayList<>();
        if (!Files.exists(spool)) {
            return events;
        }
        try (BufferedReader r = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                SpooledEvent e = parse(n, line);
                if (e != null) {
                    events.add(e);
                }
            }
        }
        return events;
    }

    static SpooledEvent parse(int lineNo, String line) {
        try {
            JsonNode root = JSON.readTree(line);
            JsonNode event = root.get("event");
            if (event == null || !event.isObject()) {
                return null;
            }
            String at = root.path("received_at").asText("");
            long millis;
            try {
                millis = Instant.parse(at).toEpochMilli();
            } catch (DateTimeParseException e) {
                millis = 0;
            }
            JsonNode recovered = root.get("recovered");
            return new SpooledEvent(lineNo, at, millis, event,
                    recovered == null || recovered.isNull() ? null : recovered.asText());
        } catch (IOException e) {
            return null;
        }
    }
}
