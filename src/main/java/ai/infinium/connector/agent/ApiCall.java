package ai.infinium.connector.agent;

/**
 * One model API response, counted once however many times the agent's files repeat it.
 *
 * @param key a stable identity (e.g. {@code message.id:requestId}) so a response counted in one
 *     trace is never counted again in a later one
 * @param turnId the turn the response belongs to, when the agent's files say so
 * @param promptTokens all input tokens, cache reads and writes included
 */
public record ApiCall(
        String key,
        String turnId,
        String model,
        long promptTokens,
        long completionTokens,
        long cacheReadTokens,
        long cacheCreationTokens,
        boolean subagent) {}
