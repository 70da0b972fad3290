package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;

/**
 * Which script a model request belongs to and which step of it is due, for both fakes.
 *
 * <p>The script is the one whose marker occurs, as a whole word, in the newest user message
 * carrying any known marker; newest rather than first, because a continued or resumed session sends
 * the whole history, whose first prompt is the first turn's. The step is the number of model
 * replies after that message, counted as the wire format's {@link Conversation} says: a failed call
 * adds none, so a retry is due the same step.
 */
record ScriptStep(String marker, int index) {

    /** How one API lays out the conversation a request carries (a JSON array of messages or items). */
    interface Conversation {

        /**
         * Whether a part of a user message's content is prompt text. Tool results are not: a
         * command's output may echo a marker.
         */
        boolean isPromptText(JsonNode part);

        /** How many model replies the conversation holds from index {@code from} on. */
        int repliesFrom(JsonNode conversation, int from);
    }

    static ScriptStep find(JsonNode conversation, Collection<String> markers, Conversation format) {
        if (!conversation.isArray() || markers.isEmpty()) {
            return null;
        }
        for (int i = conversation.size() - 1; i >= 0; i--) {
            JsonNode message = conversation.get(i);
            if (!"user".equals(message.path("role").asText())) {
                continue;
            }
            String marker = lastMarkerIn(promptText(message.path("content"), format), markers);
            if (marker != null) {
                return new ScriptStep(marker, format.repliesFrom(conversation, i + 1));
            }
        }
        return null;
    }

    /** A message's content is either a string or a list of parts, each with its {@code text}. */
    private static String promptText(JsonNode content, Conversation format) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (format.isPromptText(part)) {
                text.append(part.path("text").asText()).append('\n');
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
}
