package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.ReceivedTrace;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The check the e2e tests of agents on an OpenAI fake ({@link FakeResponsesApi}, {@link
 * FakeChatCompletionsApi}) share: a trace's usage is exactly what the fake served for its turn,
 * each response once, totalled from the fake's own record.
 */
final class ServedUsage {
    private ServedUsage() {}

    static void assertCounted(ReceivedTrace t, List<FakeResponsesApi.Usage> served) {
        long input = 0;
        long cached = 0;
        long output = 0;
        for (FakeResponsesApi.Usage u : served) {
            input += u.inputTokens();
            cached += u.cachedTokens();
            output += u.outputTokens();
        }
        JsonNode u = t.body().path("llm_usage");
        assertThat(u.path("prompt_tokens").asLong()).as("input tokens of %s", t.name()).isEqualTo(input);
        assertThat(u.path("completion_tokens").asLong()).isEqualTo(output);
        assertThat(u.path("api_calls_count").asInt()).isEqualTo(served.size());
        assertThat(t.body().path("environment").path("custom_tags").path("cached_input_tokens").asLong()).isEqualTo(cached);
    }
}
