package ai.infinium.connector.export;

import ai.infinium.connector.spool.AtomicFiles;
import ai.infinium.connector.spool.FileLocks;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Traces not yet delivered, one file per trace and exporter ({@link OutboxEntry#id()}). A trace enters the outbox before the first
 * attempt and leaves only after a 2xx, so a crash at any point leaves it here to be resent
 * under the same key.
 */
public final class Outbox {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** Reads an entry without its trace: a listing of hundreds of traces parses none of them. */
    private static final ObjectMapper WITHOUT_PAYLOAD = JSON.copy().addMixIn(OutboxEntry.class, NoPayload.class);
    private final Path dir;

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties({"payload", "trace"})
    private abstract static class NoPayload {}

    public Outbox(Path dir) {
        this.dir = dir;
    }

    /** Adds the entry unless one with its id is already waiting (that one may be mid-send). */
    public void enqueue(OutboxEntry e) throws IOException {
        ai.infinium.connector.spool.PrivateFiles.ensureDir(dir);
        Path f = file(e.id());
        if (!Files.exists(f)) {
            AtomicFiles.write(f, JSON.writeValueAsBytes(e));
        }
    }

    public void update(OutboxEntry e) throws IOException {
        if (!e.carriesTrace()) {
            throw new IllegalArgumentException("outbox entry " + e.id() + " without its trace: read it, do not list it");
        }
        AtomicFiles.write(file(e.id()), JSON.writeValueAsBytes(e));
    }

    /** @param id an entry's {@link OutboxEntry#id()} */
    public void remove(String id) throws IOException {
        Files.deleteIfExists(file(id));
        Files.deleteIfExists(dir.resolve(id + ".lock"));
    }

    public Optional<OutboxEntry> read(String id) throws IOException {
        try {
            return Optional.of(JSON.readValue(file(id).toFile(), OutboxEntry.class));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * All entries, oldest first, without their traces ({@code payload} null: {@link #read} the one
     * to send or update); an unreadable entry is skipped, not deleted.
     */
    public List<OutboxEntry> list() throws IOException {
        List<OutboxEntry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                try {
                    out.add(WITHOUT_PAYLOAD.readValue(p.toFile(), OutboxEntry.class));
                } catch (com.fasterxml.jackson.core.JsonProcessingException damaged) {
                    // Writes are atomic, so this is damage from outside (a disk, a person's edit):
                    // set it aside for a person to look at, so it stops failing every listing.
                    setAside(p);
                } catch (IOException unreadable) {
                    // gone meanwhile (another worker delivered it), or unreadable: left as it is
                }
            }
        }
        out.sort(Comparator.comparing(OutboxEntry::createdAt).thenComparing(OutboxEntry::key));
        return out;
    }

    /**
     * Turns the rejected entries {@code which} accepts back into pending ones, each changed by
     * {@code requeue}, under the entry's claim so no sender sees it half-changed; the number
     * requeued.
     */
    public int requeueRejected(java.util.function.Predicate<OutboxEntry> which,
            java.util.function.UnaryOperator<OutboxEntry> requeue) throws IOException {
        int n = 0;
        for (OutboxEntry listed : list()) {
            if (listed.pending() || !which.test(listed)) {
                continue;
            }
            try (FileLocks.Held claim = tryClaim(listed.id())) {
                Optional<OutboxEntry> current = claim == null ? Optional.empty() : read(listed.id());
                if (current.isPresent() && !current.get().pending() && which.test(current.get())) {
                    update(requeue.apply(current.get()));
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * What is waiting, as {@code status} and {@code retry} both report it.
     *
     * @param newestError the newest entry with an error, null when none has one
     * @param damaged entries set aside in {@link #damagedDir()} because they could not be read
     */
    public record Counts(int pending, int rejected, OutboxEntry newestError, int damaged) {}

    public Counts counts() throws IOException {
        return counts(list());
    }

    /** The same, for each exporter that has entries waiting. */
    public java.util.Map<String, Counts> countsByExporter() throws IOException {
        java.util.Map<String, List<OutboxEntry>> by = new java.util.TreeMap<>();
        for (OutboxEntry e : list()) {
            by.computeIfAbsent(e.exporter(), k -> new ArrayList<>()).add(e);
        }
        java.util.Map<String, Counts> out = new java.util.TreeMap<>();
        for (java.util.Map.Entry<String, List<OutboxEntry>> e : by.entrySet()) {
            out.put(e.getKey(), counts(e.getValue()));
        }
        return out;
    }

    private Counts counts(List<OutboxEntry> all) throws IOException {
        int pending = 0;
        OutboxEntry newestError = null;
        for (OutboxEntry e : all) {
            pending += e.pending() ? 1 : 0;
            if (e.lastError() != null) {
                newestError = e;
            }
        }
        return new Counts(pending, all.size() - pending, newestError, damaged());
    }

    /** Where damaged entries are moved; {@code status} and {@code retry} name it. */
    public Path damagedDir() {
        return dir.resolve("damaged");
    }

    private void setAside(Path entry) {
        try {
            ai.infinium.connector.spool.PrivateFiles.ensureDir(damagedDir());
            Files.move(entry, damagedDir().resolve(entry.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // cannot move it: it stays, and is skipped again next time
        }
    }

    /** How many damaged entries wait in {@link #damagedDir()}. */
    public int damaged() throws IOException {
        if (!Files.isDirectory(damagedDir())) {
            return 0;
        }
        try (java.util.stream.Stream<Path> s = Files.list(damagedDir())) {
            return (int) s.count();
        }
    }

    /** Claims an entry for sending; null while another process is sending it. */
    public FileLocks.Held tryClaim(String id) throws IOException {
        return FileLocks.tryAcquire(dir.resolve(id + ".lock"));
    }

    private Path file(String id) {
        return dir.resolve(id + ".json");
    }
}
