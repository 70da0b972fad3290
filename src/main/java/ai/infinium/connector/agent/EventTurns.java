package ai.infinium.connector.agent;

/**
 * The turn a flush put each of its events in: the agent's own turn id where the event carries
 * one, else the turn the order of the prompts gave it ({@code pos:N}). A usage file that names no
 * turns (Claude Code transcripts before {@code promptId}) is lined up with the session's turns
 * through the prompts and subagent events this tells the turns of.
 */
@FunctionalInterface
public interface EventTurns {
    /** The events' own turn ids, for a reader with no assembled turns at hand. */
    EventTurns OWN = AgentEvent::turnId;

    /** The event's turn; null for an event of no turn (before the first prompt). */
    String turnOf(AgentEvent e);
}
