package ai.infinium.connector.export;

import ai.infinium.connector.spool.PrivateFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The delivery log ({@code history.jsonl}), newest last, trimmed so it never grows without bound. */
public final class History {
    static final int KEEP = 1000;
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final Path file;

    public History(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public void append(HistoryEntry e) throws IOException {
        byte[] line = (JSON.writeValueAsString(e) + "\n").getBytes(StandardCharsets.UTF_8);
        PrivateFiles.append(file, line);
        if (Files.size(file) > 2_000_000) {
            List<HistoryEntry> all = all();
            StringBuilder kept = new StringBuilder();
            for (HistoryEntry h : all.subList(Math.max(0, all.size() - KEEP), all.size())) {
                kept.append(JSON.writeValueAsString(h)).append('\n');
            }
            ai.infinium.connector.spool.AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    public List<HistoryEntry> all() throws IOException {
        return read().entries();
    }

    /** What the file holds: its readable entries, and how many lines were damaged (skipped). */
    public record Contents(List<HistoryEntry> entries, int damagedLines) {}

    /**
     * Every readable entry. Each line is decoded on its own, so a damaged one (invalid UTF-8, a
     * cut-short write, garbage) loses only itself, never the history.
     */
    public Contents read() throws IOException {
        List<HistoryEntry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Contents(out, 0);
        }
        byte[] all = Files.readAllBytes(file);
        int damaged = 0;
        int start = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i > start && !blank(all, start, i)) {
                    try {
                        out.add(JSON.readValue(all, start, i - start, HistoryEntry.class));
                    } catch (IOException e) {
                        damaged++;
                    }
                }
                start = i + 1;
            }
        }
        return new Contents(out, damaged);
    }

    private static boolean blank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\r' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The newest {@code n} entries, newest first. */
    public List<HistoryEntry> latest(int n) throws IOException {
        List<HistoryEntry> all = all();
        List<HistoryEntry> out = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0 && out.size() < n; i--) {
            out.add(all.get(i));
        }
        return out;
    }

    public void clear() throws IOException {
        Files.deleteIfExists(file);
    }

    public static String toJson(HistoryEntry e) throws IOException {
        return JSON.writeValueAsString(e);
    }
}
