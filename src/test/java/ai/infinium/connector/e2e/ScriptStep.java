package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;

/**
 * Which script a Messages API request belongs to and which step of it is due.
 *
 * <p>The script is the one whose marker occurs in the newest user prompt carrying any known
 * marker; the step is the number of assistant messages after that prompt (each finished call adds
 * one, a failed call none). Newest rather than first prompt, because a continued or resumed session
 * sends the whole history, whose first prompt is the first turn's.
 */
record ScriptStep(String marker, int index) {

    static ScriptStep find(JsonNode messages, Collection<String> markers) {
        if (!messages.isArray() || markers.isEmpty()) {
            return null;
        }
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if (!"user".equals(message.path("role").asText())) {
                continue;
            }
            String marker = lastMarkerIn(promptText(message.path("content")), markers);
            if (marker != null) {
                return new ScriptStep(marker, assistantMessagesFrom(messages, i + 1));
            }
        }
        return null;
    }

    /**
     * The text the user (or the CLI on the user's behalf, e.g. a system reminder or a subagent's
     * prompt) wrote. Tool results are left out: a command's output may echo a marker.
     */
    private static String promptText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode block : content) {
            if ("text".equals(block.path("type").asText())) {
                text.append(block.path("text").asText()).append('\n');
            }
        }
        return text.toString();
    }

    /** The marker whose last whole-word occurrence comes latest: the prompt follows any reminders. */
    private static String lastMarkerIn(String text, Collection<String> markers) {
        String best = null;
        int bestAt = -1;
        for (String marker : markers) {
            int at = lastWordIndex(text, marker);
            if (at > bestAt) {
                best = marker;
                bestAt = at;
            }
        }
        return best;
    }

    private static int lastWordIndex(String text, String word) {
        for (int at = text.lastIndexOf(word); at >= 0; at = at == 0 ? -1 : text.lastIndexOf(word, at - 1)) {
            boolean startsWord = at == 0 || !isWordChar(text.charAt(at - 1));
            int end = at + word.length();
            boolean endsWord = end == text.length() || !isWordChar(text.charAt(end));
            if (startsWord && endsWord) {
                return at;
            }
        }
        return -1;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '-' || c == '_';
    }

    private static int assistantMessagesFrom(JsonNode messages, int from) {
        int count = 0;
        for (int i = from; i < messages.size(); i++) {
            if ("assistant".equals(messages.get(i).path("role").asText())) {
                count++;
            }
        }
        return count;
    }
}
