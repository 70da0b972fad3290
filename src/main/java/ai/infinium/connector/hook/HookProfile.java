package ai.infinium.connector.hook;

/**
 * The little an agent must tell the hot path: which of its events end a turn or a session.
 * Kept apart from the full adapter so the hook loads nothing else of the agent's code.
 */
public interface HookProfile {
    FlushTrigger triggerFor(String eventName);
}
