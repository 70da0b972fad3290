package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * The conversation of a Gemini API request ({@code contents}), read for {@link ScriptStep}. Each
 * content is {@code {role: "user"|"model", parts: [...]}}; a tool's result comes back as a user
 * content whose parts are {@code functionResponse}s, never text, so a command that echoes a marker
 * cannot pass for a prompt. Each model content is one reply.
 */
final class GeminiConversation implements ScriptStep.Conversation {

    /** The contents as the messages ScriptStep reads ({@code role}, {@code content}: the parts). */
    static JsonNode messages(JsonNode contents, ObjectMapper json) {
        ArrayNode out = json.createArrayNode();
        for (JsonNode c : contents) {
            out.addObject().put("role", c.path("role").asText("user")).set("content", c.path("parts"));
        }
        return out;
    }

    @Override
    public boolean isPromptText(JsonNode part) {
        return part.path("text").isTextual();
    }

    @Override
    public int repliesFrom(JsonNode conversation, int from) {
        int replies = 0;
        for (int i = from; i < conversation.size(); i++) {
            replies += "model".equals(conversation.get(i).path("role").asText()) ? 1 : 0;
        }
        return replies;
    }
}
