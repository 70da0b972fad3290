package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The conversation of a Responses API request ({@code input}), read for {@link ScriptStep}.
 *
 * <p>Codex sends the whole conversation in {@code input} on every call (it does not use
 * {@code previous_response_id}): instructions and context as developer/user messages, the user's
 * prompts, and what earlier responses produced (assistant messages, function calls) each followed by
 * the function outputs Codex added. Tool outputs are never user messages here, so a command that
 * echoes a marker cannot be taken for a prompt.
 *
 * <p>Model replies are counted as runs of consecutive model-made items. One response can hold
 * several items (a message and two calls), so counting items would over-count; and a response with
 * calls is always followed by their outputs, which separate it from the next. Counting runs needs
 * neither item ids (Codex happens to echo them, but need not) nor a particular tool.
 */
final class ResponsesApiConversation implements ScriptStep.Conversation {

    /** The text parts ({@code input_text}) of a message. */
    @Override
    public boolean isPromptText(JsonNode part) {
        return part.path("text").isTextual();
    }

    @Override
    public int repliesFrom(JsonNode input, int from) {
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

    /** Input items only the model produces: assistant messages, function calls, reasoning, ... */
    private static boolean isModelOutput(JsonNode item) {
        if (item.has("role")) { // a message
            return "assistant".equals(item.path("role").asText());
        }
        // Everything Codex adds itself is a message or a tool's result (function_call_output,
        // custom_tool_call_output, ...); any other item type came from a response.
        return !item.path("type").asText().endsWith("_output");
    }
}
