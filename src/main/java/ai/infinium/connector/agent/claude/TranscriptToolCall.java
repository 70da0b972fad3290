package ai.infinium.connector.agent.claude;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool call as a Claude Code transcript records it: the assistant's {@code tool_use} block
 * and, once the tool has returned, the user line carrying its {@code tool_result}.
 *
 * @param turnId the {@code promptId} of the turn, as hooks report it in {@code prompt_id}
 * @param agentId the subagent that made the call; null for the session's own agent
 * @param at when the {@code tool_use} line was written
 * @param effort the effort level the call was made at ({@code effort} of the assistant line)
 * @param result null while the tool has not returned (or the transcript has not caught up)
 */
record TranscriptToolCall(String id, String name, JsonNode input, String turnId, String agentId, String at,
        String cwd, String effort, Result result) {

    /**
     * @param content what the model read ({@code tool_result} content); null when not kept
     * @param toolUseResult the structured result Claude Code keeps beside the model's text
     *     ({@code toolUseResult}: the PostToolUse hook's {@code tool_response}); null where the
     *     line has none, as in subagent transcripts, or when not kept
     * @param startedAgent the subagent an Agent (Task) call started ({@code toolUseResult.agentId})
     * @param launchedInBackground whether that subagent runs in the background, the call
     *     returning at once ({@code status: async_launched})
     */
    record Result(String at, JsonNode content, boolean isError, JsonNode toolUseResult, String startedAgent,
            boolean launchedInBackground) {
        /** The {@code tool_result} content as text: a string as it is, text blocks joined. */
        String text() {
            if (content == null || content.isNull()) {
                return "";
            }
            if (content.isTextual()) {
                return content.asText();
            }
            StringBuilder sb = new StringBuilder();
            for (JsonNode block : content) {
                if (block.has("text")) {
                    sb.append(sb.length() == 0 ? "" : "\n").append(block.get("text").asText());
                }
            }
            return sb.toString();
        }
    }

    /** @param resultTurn the {@code promptId} of the result's line, for a call whose own line had none */
    TranscriptToolCall withResult(Result r, String resultTurn) {
        String turn = turnId != null ? turnId : resultTurn;
        return new TranscriptToolCall(id, name, input, turn, agentId, at, cwd, effort, r);
    }
}
