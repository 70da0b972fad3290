package ai.infinium.connector.spool;

import java.util.List;

/**
 * The turns a prefix of the spool made, as a turn assembler resuming after it needs them: every
 * turn id in order (positions give turn indices), those that never ended (interrupted turns),
 * the number of prompts (turns without ids are numbered by prompt) and the turn that events
 * without a turn id join.
 */
public record TurnLedger(List<String> turnIds, List<String> unendedTurnIds, int prompts, String currentTurnId) {
    public static final TurnLedger EMPTY = new TurnLedger(List.of(), List.of(), 0, null);

    public TurnLedger {
        turnIds = List.copyOf(turnIds);
        unendedTurnIds = List.copyOf(unendedTurnIds);
    }
}
