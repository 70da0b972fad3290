package ai.infinium.connector.e2e;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Records the payload of every hook an agent CLI fires, with nothing but a shell command: a command
 * hook per event appends its stdin (one line of JSON) to a file, which the test reads back. Claude
 * Code's settings and Codex's hooks.json declare command hooks in the same shape.
 */
final class HookRecorder {

    /**
     * How often {@link #await} reads the file again without being told it changed: a watch service
     * that polls (as on macOS) may tell late, one backed by the kernel (Linux) tells at once.
     */
    private static final Duration RECHECK = Duration.ofMillis(100);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path events;
    private final Duration lag;

    /**
     * @param events where the payloads go, one per line
     * @param lag    how long a recorded hook may lag behind the CLI's exit
     */
    HookRecorder(Path events, Duration lag) {
        this.events = events;
        this.lag = lag;
    }

    /**
     * Writes the hooks config {@code file}, registering the recorder for every event in {@code
     * hookedEvents} with the timeout in seconds that {@code timeoutSeconds} gives it. flock keeps hooks
     * the CLI runs at the same time from interleaving; {@code trap '' TERM} keeps a terminating CLI
     * from killing a hook mid-write.
     */
    void writeConfig(Path file, List<String> hookedEvents, ToIntFunction<String> timeoutSeconds) throws IOException {
        String command = "trap '' TERM; flock " + shellQuote(events + ".lock")
                + " sh -c 'cat >> \"$0\"; echo >> \"$0\"' " + shellQuote(events.toString());
        ObjectNode config = JSON.createObjectNode();
        ObjectNode hooks = config.putObject("hooks");
        for (String event : hookedEvents) {
            ObjectNode hook = hooks.putArray(event).addObject().putArray("hooks").addObject();
            hook.put("type", "command");
            hook.put("command", command);
            hook.put("timeout", timeoutSeconds.applyAsInt(event));
        }
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
    }

    /**
     * The recorded hook payloads once {@code complete} holds, or whatever arrived within the lag so
     * the assertions show what is missing. Waits for the file to change: a hook may still be writing.
     */
    List<JsonNode> await(Predicate<List<JsonNode>> complete) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + lag.toNanos();
        try (WatchService watcher = events.getFileSystem().newWatchService()) {
            // Watching starts before the first read, so no write between a read and the wait is missed.
            events.getParent().register(watcher, ENTRY_CREATE, ENTRY_MODIFY);
            List<JsonNode> hooks = recorded();
            while (!complete.test(hooks)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                WatchKey changed = watcher.poll(Math.min(left, RECHECK.toNanos()), TimeUnit.NANOSECONDS);
                if (changed != null) {
                    changed.pollEvents();
                    changed.reset();
                }
                hooks = recorded();
            }
            return hooks;
        }
    }

    /** Complete lines only: text after the last newline may be a hook still writing. */
    List<JsonNode> recorded() throws IOException {
        List<JsonNode> hooks = new ArrayList<>();
        if (!Files.exists(events)) {
            return hooks;
        }
        String text = Files.readString(events, StandardCharsets.UTF_8);
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (!line.isBlank()) {
                hooks.add(JSON.readTree(line));
            }
        }
        return hooks;
    }

    /** The event names of {@code hooks}, in order. */
    static List<String> names(List<JsonNode> hooks) {
        return hooks.stream().map(h -> h.path("hook_event_name").asText()).toList();
    }

    static long count(List<JsonNode> hooks, String event) {
        return names(hooks).stream().filter(event::equals).count();
    }

    /** The payloads of one event, in order. */
    static List<JsonNode> events(List<JsonNode> hooks, String event) {
        return hooks.stream().filter(h -> h.path("hook_event_name").asText().equals(event)).toList();
    }

    /** The first payload of one event. */
    static JsonNode event(List<JsonNode> hooks, String event) {
        return events(hooks, event).stream()
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + event + " hook in " + names(hooks)));
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
