package ai.infinium.connector.hook;

/**
 * The little an agent must tell the hot path: which of its events end a turn or a session.
 * Kept apart from the full adapter so the hook loads nothing else of the agent's code.
 */
public interface HookProfile {
    FlushTrigger triggerFor(String eventName);

    /**
     * Whether the agent's hooks are installed for the user rather than the project (Copilot CLI),
     * so they fire in every directory: then only a project that opted in ({@link TracedProject})
     * records its events.
     */
    default boolean userLevelHooks() {
        return false;
    }
}
