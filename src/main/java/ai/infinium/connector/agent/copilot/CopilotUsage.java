package ai.infinium.connector.agent.copilot;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventTurns;
import ai.infinium.connector.agent.UsageRead;
import ai.infinium.connector.agent.UsageSource;
import ai.infinium.connector.io.FileCursor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copilot token usage: the session log's {@code session.usage_record}s, one per model response,
 * each in the turn of the prompt before it. inputTokens is the API's prompt_tokens (cached ones
 * included), outputTokens its completion_tokens; the provider is the record's {@code providerType}.
 */
final class CopilotUsage implements UsageSource {
    /** What a BYOK OpenAI-compatible endpoint reports; the records' own providerType wins. */
    @Override
    public String provider() {
        return "openai";
    }

    @Override
    public UsageRead read(List<AgentEvent> events, EventTurns turns, Map<String, FileCursor> from, AgentEvent turnEnd,
            Duration max) {
        Path file = CopilotAdapter.sessionLogPath(events);
        String endAt = turnEnd == null ? null : turnEnd.tags().get(CopilotAdapter.AT_TAG);
        CopilotSessionLog log = endAt == null ? CopilotSessionLog.read(file)
                : CopilotSessionLog.await(file, Long.parseLong(endAt), max);
        List<ApiCall> calls = new ArrayList<>();
        for (CopilotSessionLog.Usage u : log.usage) {
            calls.add(new ApiCall("copilot:" + u.key(), u.promptAt() < 0 ? null : CopilotAdapter.turnId(u.promptAt()),
                    u.model(), u.input(), u.output(),
                    Map.of("cache_read_tokens", u.cacheRead(), "cache_write_tokens", u.cacheWrite()), false,
                    u.provider()));
        }
        return UsageRead.whole(calls); // the log is read whole each time
    }
}
