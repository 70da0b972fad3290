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

    /** The agent's event table: every hook event installed, what it means, what it asks of the flush. */
    List<? extends HookEvent> events();

    List<AgentEvent> normalize(List<SpooledEvent> spooled);

    /**
     * Spool lines for the hook events of finished turns that the agent's own records (a
     * transcript) show but the spool lacks, because a hook failed or the server taking them was
     * down. The flush appends them under the session lock before planning, so they become
     * ordinary, permanent input; an event already spooled must never be returned again.
     *
     * @param earlier the context lines before the spool cursor, normalized: session facts, calls
     *     and subagents still running and the prompts of their turns; their turns are settled
     *     (queued), so nothing of them but a still-running subagent's stop may be rebuilt
     * @param read the spool from the cursor on, normalized: every turn not queued yet is there whole
     * @param sessionOver no more hooks will come for this session (session end, stale), so work
     *     that never reported back is unfinished rather than still running
     */
    default List<byte[]> recover(List<AgentEvent> earlier, List<AgentEvent> read, boolean sessionOver) {
        return List.of();
    }

    /**
     * The same, told where the last flush stopped reading each of the agent's files (the usage
     * cursors, by path), so a long session's records need not be read whole for every turn.
     */
    default List<byte[]> recover(List<AgentEvent> earlier, List<AgentEvent> read, boolean sessionOver,
            java.util.Map<String, ai.infinium.connector.io.FileCursor> cursors) {
        return recover(earlier, read, sessionOver);
    }

    /**
     * Puts events normalized one by one in the order the pipeline works in (for Claude Code:
     * recovered events where they happened, a delivered twin of one dropped). Identity by default.
     */
    default List<AgentEvent> arrange(List<AgentEvent> events) {
        return events;
    }

    /**
     * Whether each event normalizes on its own, whatever came before it in the spool. Then a
     * flush reads the spool from where the previous one stopped and normalizes line by line
     * (then {@link #arrange}s them); otherwise it reads and normalizes the whole spool every time.
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
