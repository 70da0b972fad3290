package ai.infinium.connector.agent.claude;

import ai.infinium.connector.spool.LargeJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/** Reads a Claude Code transcript (JSONL) line by line, as far as it has been written. */
final class TranscriptLines {
    private static final ObjectMapper JSON = LargeJson.mapper();

    private TranscriptLines() {}

    /**
     * Feeds the transcript's JSON lines that pass {@code prefilter} (a cheap text test that spares
     * parsing most lines) to {@code visit} until it returns false. A partial last line, still being
     * written, is skipped; an unreadable file reads as empty: what is read from transcripts is best
     * effort and must never stop a trace.
     */
    static void forEach(Path transcript, Predicate<String> prefilter, Predicate<JsonNode> visit) {
        forEach(transcript, 0, prefilter, visit);
    }

    /** The same, from byte {@code offset} on (the start of a line). */
    static void forEach(Path transcript, long offset, Predicate<String> prefilter, Predicate<JsonNode> visit) {
        if (transcript == null || !Files.isReadable(transcript)) {
            return;
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(transcript,
                        java.nio.file.StandardOpenOption.READ);
                BufferedReader r = new BufferedReader(java.nio.channels.Channels.newReader(ch.position(offset),
                        StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!prefilter.test(line)) {
                    continue;
                }
                JsonNode d;
                try {
                    d = JSON.readTree(line);
                } catch (IOException partialLine) {
                    continue;
                }
                if (!visit.test(d)) {
                    return;
                }
            }
        } catch (IOException ignored) {
            // the trace still goes out with what was read
        }
    }
}
