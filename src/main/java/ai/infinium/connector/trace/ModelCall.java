package ai.infinium.connector.trace;

import ai.infinium.connector.agent.ApiCall;
import java.util.List;
import java.util.Map;

/**
 * One model API response a trace counts, with the finer counts an exporter may want per call (an
 * OTLP {@code chat} span each). The trace's {@link LlmUsage} is the sum of these.
 *
 * @param inputTokens every input token billed, cached ones included (as {@link LlmUsage#promptTokens})
 * @param timestamp when the response arrived, null where the agent's files do not say
 * @param subagentId the subagent whose request it was, null for the main agent or when unknown
 */
public record ModelCall(
        String model,
        String provider,
        long inputTokens,
        long outputTokens,
        long cacheReadTokens,
        long cacheCreationTokens,
        long reasoningTokens,
        String timestamp,
        boolean subagent,
        String subagentId) {

    /** The agents' own names for the finer counts, each agent's in {@link ApiCall#details()}. */
    private static final List<String> CACHE_READ = List.of("cache_read_input_tokens", "cached_input_tokens",
            "cache_read_tokens");
    private static final List<String> CACHE_CREATION = List.of("cache_creation_input_tokens", "cache_write_tokens");
    private static final List<String> REASONING = List.of("reasoning_output_tokens");

    static ModelCall of(ApiCall c, String defaultProvider) {
        return new ModelCall(c.model(), c.provider() != null ? c.provider() : defaultProvider, c.promptTokens(),
                c.completionTokens(), sum(c.details(), CACHE_READ), sum(c.details(), CACHE_CREATION),
                sum(c.details(), REASONING), c.timestamp(), c.subagent(), c.subagentId());
    }

    private static long sum(Map<String, Long> details, List<String> names) {
        long n = 0;
        for (String name : names) {
            n += details.getOrDefault(name, 0L);
        }
        return n;
    }
}
