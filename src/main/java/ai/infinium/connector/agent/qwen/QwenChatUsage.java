package ai.infinium.connector.agent.qwen;

import ai.infinium.connector.agent.BoundedPoll;
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
import java.util.function.Predicate;

/**
 * Qwen Code token usage: one call per {@code assistant} line of the chat transcript, keyed by the
 * line's uuid, so a response is counted once however often the file is read. The background
 * memory extraction is not counted: it writes no assistant line, runs after the turn (often after
 * Stop, so a trace could not wait for it) and is no work the turn's prompt asked for; Qwen's own
 * {@code ~/.qwen/usage} logs still show it.
 */
final class QwenChatUsage implements UsageSource {

    /** Qwen Code speaks the OpenAI Chat Completions API for the auth type {@code openai}, its usual one. */
    @Override
    public String provider() {
        return "openai";
    }

    @Override
    public UsageRead read(List<AgentEvent> events, EventTurns turns, Map<String, FileCursor> from, AgentEvent turnEnd,
            Duration max) {
        if (turnEnd != null) {
            awaitFinalAnswer(turnEnd, QwenAdapter.chatsFile(events), max);
        }
        List<ApiCall> calls = calls(events);
        return new UsageRead() {
            @Override
            public List<ApiCall> calls() {
                return calls;
            }

            @Override
            public Map<String, FileCursor> resume(Predicate<String> counted, Predicate<String> knownTurn) {
                return Map.of(); // the transcript is read whole each time
            }
        };
    }

    @Override
    public List<ApiCall> calls(List<AgentEvent> events) {
        List<ApiCall> calls = new ArrayList<>();
        for (QwenChats.Response r : QwenChats.read(QwenAdapter.chatsFile(events)).responses) {
            calls.add(new ApiCall(r.uuid(), r.turnId(), r.model(), r.promptTokens(), r.completionTokens(),
                    Map.of("cached_input_tokens", r.cachedTokens(), "reasoning_output_tokens", r.thoughtsTokens()),
                    false, r.authType()));
        }
        return calls;
    }

    /**
     * Stop may fire before the transcript has the turn's last response: wait, bounded, until the
     * transcript holds a response of the turn whose text is the message Stop reported.
     */
    private static void awaitFinalAnswer(AgentEvent turnEnd, Path chats, Duration max) {
        String last = turnEnd.output();
        if (chats == null || turnEnd.turnId() == null || last == null || last.isBlank()) {
            return;
        }
        BoundedPoll.REAL.until(() -> written(QwenChats.read(chats), turnEnd.turnId(), last.strip()), max);
    }

    private static boolean written(QwenChats chats, String turnId, String text) {
        for (QwenChats.Response r : chats.responses) {
            if (turnId.equals(r.turnId()) && text.equals(r.text().strip())) {
                return true;
            }
        }
        return false;
    }
}
