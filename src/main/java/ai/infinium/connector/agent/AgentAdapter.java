package ai.infinium.connector.agent;

import ai.infinium.connector.spool.SpooledEvent;
import java.util.List;

/** Everything the pipeline needs to know about one agent. */
public interface AgentAdapter {
    /** The name used on the command line and in spool paths, e.g. {@code claude-code}. */
    String name();

    /** What people call it, e.g. "Claude Code" (used in session trace names). */
    String displayName();

    /** {@code environment.framework} of its traces. */
    String framework();

    /** Default characters kept of prompts and tool inputs. */
    int defaultInputPreview();

    List<AgentEvent> normalize(List<SpooledEvent> spooled);

    /**
     * Whether each event normalizes on its own, whatever came before it in the spool. Then a
     * flush reads the spool from where the previous one stopped and normalizes line by line;
     * otherwise it reads and normalizes the whole spool every time.
     */
    default boolean normalizesAlone() {
        return false;
    }

    /** Top-level payload fields {@link #normalize} never reads: the spool reader skips them. */
    default java.util.Set<String> unreadFields() {
        return java.util.Set.of();
    }

    UsageSource usage();

    /** Where this agent's hooks go for a project; {@code home} is the user's home directory. */
    HookInstaller installer(java.nio.file.Path projectDir, java.util.Map<String, String> env, java.nio.file.Path home);

    /** The directory that shows a project uses this agent (e.g. {@code .claude}). */
    String projectMarker();
}
