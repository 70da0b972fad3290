package ai.infinium.connector.agent.codex;

import ai.infinium.connector.agent.BoundedPoll;
import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventTurns;
import ai.infinium.connector.agent.UsageRead;
import ai.infinium.connector.agent.UsageSource;
import ai.infinium.connector.io.FileCursor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Codex token usage: the increments of the rollouts' cumulative counters (the session's rollout
 * and each subagent's), so no response is counted twice however often a snapshot repeats. When
 * no rollout can be read, PostModelRequest's own {@code token_usage} stands in.
 */
final class CodexUsage implements UsageSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String provider() {
        return "openai";
    }

    @Override
    public UsageRead read(List<AgentEvent> events, EventTurns turns, Map<String, FileCursor> from, AgentEvent turnEnd,
            Duration max) {
        if (turnEnd != null) {
            awaitTurnWritten(turnEnd, events, max);
        }
        List<ApiCall> calls = calls(events);
        return UsageRead.whole(calls); // rollouts are read whole each time
    }

    @Override
    public List<ApiCall> calls(List<AgentEvent> events) {
        Map<String, String> parentTurn = parentTurns(events);
        Path main = CodexAdapter.mainRollout(events);
        List<ApiCall> calls = new ArrayList<>();
        for (Path rollout : CodexAdapter.rollouts(events)) {
            boolean subagent = !rollout.equals(main);
            for (CodexRollout.Increment i : CodexRollout.read(rollout).increments) {
                String turn = parentTurn.getOrDefault(i.turnId(), i.turnId());
                calls.add(new ApiCall(i.key(), turn, i.model(), i.input(), i.output(),
                        Map.of("cached_input_tokens", i.cached(), "reasoning_output_tokens", i.reasoning()), subagent)
                        .at(i.timestamp(), null));
            }
        }
        return calls.isEmpty() ? fromHookPayloads(events) : calls;
    }

    /** Subagents run turns of their own; their usage belongs to the parent turn that spawned them. */
    private static Map<String, String> parentTurns(List<AgentEvent> events) {
        Map<String, String> map = new HashMap<>();
        for (AgentEvent e : events) {
            String own = e.tags().get(CodexAdapter.AGENT_TURN_TAG);
            if (own != null && e.turnId() != null) {
                map.putIfAbsent(own, e.turnId());
            }
        }
        return map;
    }

    private static List<ApiCall> fromHookPayloads(List<AgentEvent> events) {
        List<ApiCall> calls = new ArrayList<>();
        for (AgentEvent e : events) {
            String usage = e.tags().get(CodexAdapter.TOKEN_USAGE_TAG);
            if (usage == null) {
                continue;
            }
            try {
                JsonNode u = JSON.readTree(usage);
                calls.add(new ApiCall("hook:" + e.line(), e.turnId(), e.tags().get("model"),
                        u.path("input_tokens").asLong(), u.path("output_tokens").asLong(),
                        Map.of("cached_input_tokens", u.path("cached_input_tokens").asLong(),
                                "reasoning_output_tokens", u.path("reasoning_output_tokens").asLong()),
                        e.subagentId() != null));
            } catch (IOException ignored) {
                // a garbled payload loses its own usage only
            }
        }
        return calls;
    }

    /**
     * Waits for the rollout's {@code task_complete} of the turn; each poll reads only what the
     * rollout appended since the previous one.
     */
    private void awaitTurnWritten(AgentEvent turnEnd, List<AgentEvent> events, Duration max) {
        Path main = CodexAdapter.mainRollout(events);
        if (main == null || turnEnd.turnId() == null) {
            return;
        }
        Set<String> completed = new HashSet<>();
        long[] read = {CodexRollout.completedTurns(main, 0, completed)};
        BoundedPoll.REAL.until(() -> {
            if (!completed.contains(turnEnd.turnId())) {
                read[0] = CodexRollout.completedTurns(main, read[0], completed);
            }
            return completed.contains(turnEnd.turnId());
        }, max);
    }

}
