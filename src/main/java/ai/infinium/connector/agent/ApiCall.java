package ai.infinium.connector.agent;

import java.util.Map;

/**
 * One model API response, counted once however many times the agent's files repeat it.
 *
 * @param key a stable identity (e.g. {@code message.id:requestId}) so a response counted in one
 *     trace is never counted again in a later one
 * @param turnId the turn the response belongs to, when the agent's files say so
 * @param promptTokens all input tokens the provider billed, cached ones included
 * @param details the agent's finer counts (cache reads and writes, reasoning tokens), summed into
 *     the trace's {@code custom_tags} under these names
 * @param provider the provider that served it, where the agent records one per response (Copilot's
 *     BYOK providers, Qwen Code's auth type); null: the agent's fixed {@link UsageSource#provider()}
 * @param timestamp when the response arrived (ISO-8601), where the agent's files say; null otherwise
 * @param subagentId the subagent whose request it was, where the files name it; null otherwise
 */
public record ApiCall(
        String key,
        String turnId,
        String model,
        long promptTokens,
        long completionTokens,
        Map<String, Long> details,
        boolean subagent,
        String provider,
        String timestamp,
        String subagentId) {

    public ApiCall {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public ApiCall(String key, String turnId, String model, long promptTokens, long completionTokens,
            Map<String, Long> details, boolean subagent) {
        this(key, turnId, model, promptTokens, completionTokens, details, subagent, null, null, null);
    }

    public ApiCall(String key, String turnId, String model, long promptTokens, long completionTokens,
            Map<String, Long> details, boolean subagent, String provider) {
        this(key, turnId, model, promptTokens, completionTokens, details, subagent, provider, null, null);
    }

    /** The same response, with when it arrived and whose it was. */
    public ApiCall at(String when, String subagentOf) {
        return new ApiCall(key, turnId, model, promptTokens, completionTokens, details, subagent, provider, when,
                subagentOf);
    }
}
