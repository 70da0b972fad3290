package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;

/**
 * Which script a Responses API request belongs to and which step of it is due.
 *
 * <p>Codex sends the whole conversation in {@code input} on every call (it does not use
 * {@code previous_response_id}): instructions and context as developer/user messages, the user's
 * prompts, and what earlier responses produced (assistant messages, function calls) each followed by
 * the function outputs Codex added. The script is the one whose marker occurs in the newest user
 * message carrying any known marker; newest rather than first, because a resumed session sends the
 * first turn's history too.
 *
 * <p>The step is the number of model responses after that message, counted as runs of consecutive
 * model-made items. One response can hold several items (a message and two calls), so counting
 * items would over-count; and a response with calls is always followed by their outputs, which
 * separate it from the next. Counting runs needs neither item ids (Codex happens to echo them, but
 * need not) nor a particular tool.
 */
record ResponsesScriptStep(String marker, int index) {

    static ResponsesScriptStep find(JsonNode input, Collection<String> markers) {
        if (!input.isArray() || markers.isEmpty()) {
            return null;
        }
        for (int i = input.size() - 1; i >= 0; i--) {
            JsonNode item = input.get(i);
            if (!"user".equals(item.path("role").asText())) {
                continue;
            }
            String marker = lastMarkerIn(messageText(item), markers);
            if (marker != null) {
                return new ResponsesScriptStep(marker, responsesFrom(input, i + 1));
            }
        }
        return null;
    }

    /** Input items only the model produces: assistant messages, function calls, reasoning, ... */
    static boolean isModelOutput(JsonNode item) {
        if (item.has("role")) { // a message
            return "assistant".equals(item.path("role").asText());
        }
        // Everything Codex adds itself is a message or a tool's result (function_call_output,
        // custom_tool_call_output, ...); any other item type came from a response.
        return !item.path("type").asText().endsWith("_output");
    }

    private static int responsesFrom(JsonNode input, int from) {
        int runs = 0;
        boolean inRun = false;
        for (int i = from; i < input.size(); i++) {
            boolean output = isModelOutput(input.get(i));
            if (output && !inRun) {
                runs++;
            }
            inRun = output;
        }
        return runs;
    }

    /**
     * The text parts of a message. Tool outputs are never user messages here, so a command that
     * echoes a marker cannot be taken for a prompt.
     */
    private static String messageText(JsonNode message) {
        JsonNode content = message.path("content");
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                text.append(part.path("text").asText()).append('\n');
            }
        }
        return text.toString();
    }

    /** The marker whose last whole-word occurrence comes latest. */
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
