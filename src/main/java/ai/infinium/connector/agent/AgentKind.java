package ai.infinium.connector.agent;

import ai.infinium.connector.hook.HookProfile;

/**
 * One agent's entry in the registry ({@link Agents}): its command-line name, what its events ask
 * of the hot path, and its adapter. The hook loads this small class alone; the adapter, with all
 * the agent's parsing, is made only where traces are built.
 */
public interface AgentKind extends HookProfile {
    /** The name on the command line and in spool paths, e.g. {@code claude-code}. */
    String name();

    AgentAdapter adapter();
}
