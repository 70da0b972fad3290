package ai.infinium.connector.agent;

import java.time.Duration;
import java.util.List;

/** Where an agent keeps token usage (a transcript, a rollout), read at flush time. */
public interface UsageSource {
    /**
     * Every model API response recorded so far for the session, in order.
     *
     * @param events the session's events, for the paths of its transcripts
     */
    List<ApiCall> calls(List<AgentEvent> events);

    /**
     * Waits, at most {@code max}, for the agent to finish writing the turn that {@code turnEnd}
     * closed (agents may fire the end-of-turn hook before their transcript has the final answer).
     */
    void awaitTurnWritten(AgentEvent turnEnd, List<AgentEvent> events, Duration max);

    /** The API provider label for {@code llm_usage.provider}. */
    String provider();
}
