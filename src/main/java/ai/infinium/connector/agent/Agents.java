package ai.infinium.connector.agent;

import ai.infinium.connector.agent.claude.ClaudeCode;
import ai.infinium.connector.agent.codex.Codex;
import ai.infinium.connector.agent.copilot.Copilot;
import ai.infinium.connector.agent.gemini.Gemini;
import ai.infinium.connector.agent.qwen.Qwen;
import ai.infinium.connector.hook.FlushTrigger;
import ai.infinium.connector.hook.HookProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The agents this connector knows, by command-line name: adding one is its folder and a line here. */
public final class Agents {
    private static final List<AgentKind> KINDS = List.of(new ClaudeCode(), new Codex(), new Gemini(), new Copilot(),
            new Qwen());

    /** An event of an agent nobody registered is recorded, never flushed. (No lambda: the hook would pay for its bootstrap.) */
    private static final class Unknown implements HookProfile {
        @Override
        public FlushTrigger triggerFor(String eventName) {
            return FlushTrigger.NONE;
        }
    }

    private Agents() {}

    /** Made on first use, so the hook, which needs only the profiles, never loads an adapter. */
    private static final class Adapters {
        static final List<AgentAdapter> ALL;

        static {
            List<AgentAdapter> all = new ArrayList<>();
            for (AgentKind k : KINDS) {
                all.add(k.adapter());
            }
            ALL = List.copyOf(all);
        }
    }

    /** What the hook needs of the agent {@code name}: its events' flush triggers. */
    public static HookProfile profile(String name) {
        for (AgentKind k : KINDS) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return new Unknown();
    }

    public static List<AgentAdapter> all() {
        return Adapters.ALL;
    }

    public static Optional<AgentAdapter> byName(String name) {
        for (AgentAdapter a : Adapters.ALL) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    public static String names() {
        List<String> names = new ArrayList<>();
        for (AgentKind k : KINDS) {
            names.add(k.name());
        }
        return String.join(", ", names);
    }
}
