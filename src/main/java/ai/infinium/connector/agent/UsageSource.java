package ai.infinium.connector.agent;

import ai.infinium.connector.io.FileCursor;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Where an agent keeps token usage (a transcript, a rollout), read at flush time. */
public interface UsageSource {
    /**
     * The model API responses recorded in the session's files from the cursors on (keyed by file;
     * a file without a cursor, or whose cursor no longer fits it, is read whole).
     *
     * @param events the session's events, for the paths of its files
     * @param turns the turn the flush put each event in, for files that do not name their turns
     * @param turnEnd when not null, first wait at most {@code max} for the agent to finish writing
     *     the turn it closed (agents may fire the end-of-turn hook before the file has the answer)
     */
    UsageRead read(List<AgentEvent> events, EventTurns turns, Map<String, FileCursor> from, AgentEvent turnEnd,
            Duration max);

    /** Every response recorded so far, in order. */
    default List<ApiCall> calls(List<AgentEvent> events) {
        return read(events, EventTurns.OWN, Map.of(), null, Duration.ZERO).calls();
    }

    /** The API provider label for {@code llm_usage.provider}. */
    String provider();
}
