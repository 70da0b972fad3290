package ai.infinium.connector.agent.gemini;

import ai.infinium.connector.agent.BoundedPoll;
import ai.infinium.connector.io.JsonLines;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Gemini CLI chats file ({@code transcript_path}, {@code ~/.gemini/tmp/<project>/chats/session-…jsonl}):
 * a header line, {@code {"$set": …}} updates and one line per message version. Gemini writes each
 * model message twice (before and after its tool calls) under the same id: the later version wins,
 * in the place of the first.
 */
final class GeminiChats {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One message. {@code tokens} as Gemini recorded the response's usageMetadata: input =
     * promptTokenCount (cached included), output = candidatesTokenCount, thoughts and tool apart.
     */
    record Message(String id, String type, long millis, String text, String model, boolean toolCalls, long input,
            long output, long cached, long thoughts, long tool, boolean hasTokens) {
        boolean fromModel() {
            return "gemini".equals(type);
        }
    }

    /**
     * The history as the file's last {@code $set.messages} rewrote it: Gemini rewrites it when it
     * takes a prompt back (after a failed model request, the prompt's message is gone from it).
     *
     * @param line the rewrite's line number, to tell which messages were written before it
     * @param at Gemini's {@code lastUpdated} stamp of the rewrite
     */
    record Rewrite(int line, java.util.Set<String> ids, String at) {
        static final Rewrite NONE = new Rewrite(0, java.util.Set.of(), null);
    }

    private final List<Message> messages;
    private final Map<String, Integer> firstLine;
    private final Rewrite rewrite;

    private GeminiChats(List<Message> messages, Map<String, Integer> firstLine, Rewrite rewrite) {
        this.messages = List.copyOf(messages);
        this.firstLine = Map.copyOf(firstLine);
        this.rewrite = rewrite;
    }

    private static GeminiChats empty() {
        return new GeminiChats(List.of(), Map.of(), Rewrite.NONE);
    }

    /** The file's messages; none when it cannot be read (the trace then lacks only what it would add). */
    static GeminiChats read(Path file) {
        Map<String, Message> byId = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new HashMap<>();
        Rewrite[] rewrite = {Rewrite.NONE};
        if (file == null || !Files.isRegularFile(file)) {
            return empty();
        }
        try {
            JsonLines.scan(file, 0, 0, (buf, off, len, start, lineNo, terminated) -> {
                JsonNode n = terminated ? tree(new String(buf, off, len, StandardCharsets.UTF_8)) : null;
                Message m = n == null ? null : parse(n);
                if (m != null) {
                    byId.put(m.id(), m);
                    firstLine.putIfAbsent(m.id(), lineNo);
                } else if (n != null && n.path("$set").path("messages").isArray()) {
                    java.util.Set<String> ids = new java.util.HashSet<>();
                    n.get("$set").get("messages").forEach(x -> ids.add(x.path("id").asText()));
                    rewrite[0] = new Rewrite(lineNo, ids, n.get("$set").path("lastUpdated").asText(null));
                }
                return true;
            });
        } catch (IOException unreadable) {
            return empty();
        }
        return new GeminiChats(new ArrayList<>(byId.values()), firstLine, rewrite[0]);
    }

    private static JsonNode tree(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException damaged) {
            return null; // a line cut short loses only itself
        }
    }

    private static Message parse(JsonNode n) {
        if (n == null || !n.hasNonNull("id") || !n.hasNonNull("type")) {
            return null; // the header and the $set updates
        }
        JsonNode t = n.path("tokens");
        return new Message(n.get("id").asText(), n.get("type").asText(), GeminiTime.millis(n.path("timestamp").asText(null)),
                text(n.get("content")), n.path("model").asText(null), n.path("toolCalls").size() > 0,
                t.path("input").asLong(), t.path("output").asLong(), t.path("cached").asLong(),
                t.path("thoughts").asLong(), t.path("tool").asLong(), t.isObject());
    }

    /** A model message's content is a string, a user message's a list of parts. */
    private static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder b = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                b.append(part.get("text").asText());
            }
        }
        return b.toString();
    }

    List<Message> messages() {
        return messages;
    }

    /**
     * The turn's answer: its last model message without tool calls, written between the turn's
     * start and its end (inclusive); null when the file has none (yet).
     */
    Message answer(long fromMillis, long toMillis) {
        Message found = null;
        for (Message m : messages) {
            if (m.fromModel() && !m.toolCalls() && m.millis() >= fromMillis && m.millis() <= toMillis) {
                found = m;
            }
        }
        return found;
    }

    /**
     * Gemini's stamp of the rewrite that took back the prompt {@code prompt} (its first user
     * message with that text from {@code fromMillis} on), or null when the history still holds it.
     */
    String promptTakenBack(String prompt, long fromMillis) {
        for (Message m : messages) {
            if ("user".equals(m.type()) && m.millis() >= fromMillis && prompt != null && prompt.equals(m.text())) {
                boolean gone = firstLine.get(m.id()) < rewrite.line() && !rewrite.ids().contains(m.id());
                return gone ? (rewrite.at() != null ? rewrite.at() : "") : null;
            }
        }
        return null;
    }

    /**
     * The file as soon as it holds the turn's answer, or as it is after {@code max}: Gemini may
     * fire AfterAgent before the chats file has the last message.
     */
    static GeminiChats awaitAnswer(Path file, long fromMillis, long toMillis, Duration max) {
        GeminiChats[] chats = {read(file)};
        BoundedPoll.REAL.until(() -> {
            if (chats[0].answer(fromMillis, toMillis) != null || !Files.isRegularFile(file)) {
                return true;
            }
            chats[0] = read(file);
            return chats[0].answer(fromMillis, toMillis) != null;
        }, max);
        return chats[0];
    }
}
