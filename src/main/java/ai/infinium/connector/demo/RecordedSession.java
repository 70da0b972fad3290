package ai.infinium.connector.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real recorded agent session (hook payloads in firing order plus the transcripts they point
 * to), replayed on this machine: transcripts are copied under a directory of ours and the
 * payloads' paths rewritten to point there, so the pipeline reads them as it would live.
 */
public final class RecordedSession {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String resourceBase;
    private final Path root;
    private final String recordedTranscriptDir;

    /**
     * @param resourceBase classpath folder with the payload files, {@code events.txt} (their
     *     order) and {@code transcripts.txt} (the transcript files, relative to the folder)
     * @param root where the transcripts are copied, keeping their relative paths
     * @param recordedTranscriptDir the directory that stood for {@code root} when the session was
     *     recorded (e.g. Claude Code's config dir), as the payloads' paths show it
     */
    public RecordedSession(String resourceBase, Path root, String recordedTranscriptDir) {
        this.resourceBase = resourceBase.endsWith("/") ? resourceBase : resourceBase + "/";
        this.root = root;
        this.recordedTranscriptDir = recordedTranscriptDir;
    }

    /** Copies the transcripts to the same relative paths under {@code root}. */
    public void installTranscripts() throws IOException {
        for (String rel : lines("transcripts.txt")) {
            Path target = root.resolve(rel);
            Files.createDirectories(target.getParent());
            try (InputStream in = resource(rel)) {
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    public List<String> eventFiles() throws IOException {
        return lines("events.txt");
    }

    /** One payload with its paths rewritten; {@code cwd} replaces the recorded working directory. */
    public byte[] payload(String file, Path cwd) throws IOException {
        JsonNode n;
        try (InputStream in = resource(file)) {
            n = JSON.readTree(in);
        }
        ObjectNode o = (ObjectNode) n;
        for (String field : new String[] {"transcript_path", "agent_transcript_path"}) {
            if (o.hasNonNull(field)) {
                o.put(field, o.get(field).asText().replace(recordedTranscriptDir, root.toString()));
            }
        }
        if (cwd != null && o.hasNonNull("cwd")) {
            o.put("cwd", cwd.toString());
        }
        return JSON.writeValueAsBytes(o);
    }

    private List<String> lines(String name) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = resource(name)) {
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank()) {
                    out.add(l.trim());
                }
            }
        }
        return out;
    }

    private InputStream resource(String rel) throws IOException {
        InputStream in = RecordedSession.class.getResourceAsStream(resourceBase + rel);
        if (in == null) {
            throw new IOException("missing resource " + resourceBase + rel);
        }
        return in;
    }
}
