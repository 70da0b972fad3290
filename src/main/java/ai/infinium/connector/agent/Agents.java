package ai.infinium.connector.agent;

import ai.infinium.connector.agent.claude.ClaudeCodeAdapter;
import ai.infinium.connector.agent.codex.CodexAdapter;
import java.util.List;
import java.util.Optional;

/** The agents this connector knows, by command-line name. */
public final class Agents {
    private static final List<AgentAdapter> ALL = List.of(new ClaudeCodeAdapter(), new CodexAdapter());

    private Agents() {}

    public static List<AgentAdapter> all() {
        return ALL;
    }

    public static Optional<AgentAdapter> byName(String name) {
        return ALL.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    public static String names() {
        return String.join(", ", ALL.stream().map(AgentAdapter::name).toList());
    }
}
