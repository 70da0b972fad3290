package ai.infinium.connector.cli;

import ai.infinium.connector.config.Credentials;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a trace from this project would not go out, each with its fix: what {@code status} must say
 * instead of "active" (a moved install, a missing secret, hooks the agent will not run).
 */
final class TracingProblems {
    /** @param agent the agent's display name, or null when no agent would trace */
    record Problem(String agent, String what, String fix) {
        String line() {
            return (agent == null ? "" : agent + ": ") + what + (fix == null ? "" : "; " + fix);
        }
    }

    private final List<Problem> problems = new ArrayList<>();
    private final List<String> agentsWithHooks = new ArrayList<>();

    void credentials(Credentials c) {
        if (c.agentId() == null) {
            problems.add(new Problem(null, "no agent id is set",
                    "run `infinium init` or `infinium update-credentials --agent-id ID`; for a project set up with"
                            + " `--plugin-credentials`, set the Claude Code plugin's options: " + InitCommand.PLUGIN_CONFIGURE));
        } else if (c.secret() == null && !c.secretOnlyInPluginHooks()) {
            problems.add(new Problem(null, "no secret is stored for agent " + c.agentId(),
                    "run `infinium update-credentials` and give it"));
        }
    }

    /** One agent whose hooks are installed here. */
    void agent(String name, int installed, int expected, List<String> commandProblems, String project) {
        agentsWithHooks.add(name);
        for (String p : commandProblems) {
            problems.add(new Problem(name, p, "run `infinium init` again in " + project
                    + " with the infinium you use now (it rewrites the hooks)"));
        }
        if (installed < expected) {
            problems.add(new Problem(name, "only " + installed + " of " + expected + " events have our hook",
                    "run `infinium init` again"));
        }
    }

    void agentProblem(String name, String what, String fix) {
        problems.add(new Problem(name, what, fix));
    }

    /** The problems as found, without the verdict on hooks that {@link #all} adds (doctor judges hooks itself). */
    List<Problem> found() {
        return List.copyOf(problems);
    }

    List<Problem> all() {
        if (agentsWithHooks.isEmpty()) {
            List<Problem> out = new ArrayList<>(problems);
            out.add(new Problem(null, "no agent's hooks are installed in this project", "run `infinium init`"));
            return out;
        }
        return problems;
    }

    /** "active", "not tracing", or "partly tracing" when some agent with hooks has no problem. */
    String state() {
        List<Problem> all = all();
        if (all.isEmpty()) {
            return "active";
        }
        boolean global = all.stream().anyMatch(p -> p.agent() == null);
        boolean someAgentFine = agentsWithHooks.stream()
                .anyMatch(a -> all.stream().noneMatch(p -> a.equals(p.agent())));
        return !global && someAgentFine ? "partly tracing" : "not tracing";
    }
}
