package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The conversation of a Messages API request ({@code messages}), read for {@link ScriptStep}: a
 * user message's text blocks are the prompt (the user's, or the CLI's on the user's behalf, e.g. a
 * system reminder or a subagent's prompt), and each assistant message is one model reply.
 */
final class MessagesApiConversation implements ScriptStep.Conversation {

    /** Text blocks; tool results come as {@code tool_result} blocks of a user message. */
    @Override
    public boolean isPromptText(JsonNode block) {
        return "text".equals(block.path("type").asText());
    }

    @Override
    public int repliesFrom(JsonNode messages, int from) {
        int count = 0;
        for (int i = from; i < messages.size(); i++) {
            if ("assistant".equals(messages.get(i).path("role").asText())) {
                count++;
            }
        }
        return count;
    }
}
