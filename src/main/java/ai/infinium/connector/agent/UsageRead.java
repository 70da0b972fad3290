package ai.infinium.connector.agent;

import ai.infinium.connector.io.FileCursor;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What one read of an agent's usage files found, and where the next read can start. */
public interface UsageRead {
    /** The responses read, in file order (the session's file first). */
    List<ApiCall> calls();

    /**
     * Cursors for the next read: in each file, before the first response that a later trace may
     * still count, else at the end of what was read.
     *
     * @param counted whether a response key has been counted by a trace
     * @param knownTurn whether a turn id belongs to the session's events (a response of an unknown
     *     turn that the file already shows as older than a known one can never be counted)
     */
    Map<String, FileCursor> resume(Predicate<String> counted, Predicate<String> knownTurn);

    /**
     * What the read could not make sense of and the session's traces will lack because of it
     * (responses no turn can be found for), for the connector's log: never silently a zero.
     */
    default List<String> problems() {
        return List.of();
    }

    /** A read of files that are read whole every time: no cursors to resume at. */
    static UsageRead whole(List<ApiCall> calls) {
        return new UsageRead() {
            @Override
            public List<ApiCall> calls() {
                return calls;
            }

            @Override
            public Map<String, FileCursor> resume(Predicate<String> counted, Predicate<String> knownTurn) {
                return Map.of();
            }
        };
    }
}
