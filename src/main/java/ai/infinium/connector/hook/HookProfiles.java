package ai.infinium.connector.hook;

import ai.infinium.connector.agent.claude.ClaudeCodeHookProfile;
import ai.infinium.connector.agent.codex.CodexHookProfile;

/** Registry of the agents the hook accepts; an unknown name is recorded but never flushed. */
public final class HookProfiles {
    private HookProfiles() {}

    public static HookProfile forAgent(String name) {
        if (ClaudeCodeHookProfile.NAME.equals(name)) {
            return new ClaudeCodeHookProfile();
        }
        if (CodexHookProfile.NAME.equals(name)) {
            return new CodexHookProfile();
        }
        return new HookProfile() { // loaded only for an agent we have no adapter for
            @Override
            public FlushTrigger triggerFor(String eventName) {
                return FlushTrigger.NONE;
            }
        };
    }
}
