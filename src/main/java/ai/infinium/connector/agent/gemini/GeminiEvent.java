package ai.infinium.connector.agent.gemini;

import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.HookEvent;
import ai.infinium.connector.hook.FlushTrigger;
import java.util.Map;

/**
 * Every Gemini CLI hook event infinium installs, once: its meaning and its flush trigger. The
 * installer, the adapter and the hook's profile all read this table; it is on the hook's path,
 * so it holds names and enums only.
 *
 * <p>Not installed on purpose: BeforeModel, AfterModel (once per streamed chunk), PreCompress and
 * BeforeToolSelection (before every model call) would each start a JVM many times a turn; token
 * usage and the final answer come from the session's chats file instead. Notification fires in
 * interactive sessions only and carries nothing a trace shows.
 */
public enum GeminiEvent implements HookEvent {
    SESSION_START("SessionStart", EventKind.SESSION_START, FlushTrigger.NONE),
    BEFORE_AGENT("BeforeAgent", EventKind.PROMPT, FlushTrigger.NONE),
    BEFORE_TOOL("BeforeTool", EventKind.TOOL_START, FlushTrigger.NONE),
    AFTER_TOOL("AfterTool", EventKind.TOOL_END, FlushTrigger.NONE),
    AFTER_AGENT("AfterAgent", EventKind.TURN_END, FlushTrigger.TURN_END),
    SESSION_END("SessionEnd", EventKind.SESSION_END, FlushTrigger.SESSION_END);

    private static final Map<String, GeminiEvent> BY_NAME = HookEvent.byName(values());

    private final Row row;

    GeminiEvent(String hookName, EventKind kind, FlushTrigger trigger) {
        this.row = new Row(hookName, kind, trigger);
    }

    /** The row for a hook event name; null for an event we do not install. */
    public static GeminiEvent named(String hookName) {
        return hookName == null ? null : BY_NAME.get(hookName);
    }

    @Override
    public Row row() {
        return row;
    }
}
