package ai.infinium.connector.agent.claude;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where {@link ClaudeCodeAdapter#normalize} puts recovered events, and what it keeps once. */
class RecoveredEventPlacementTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final List<SpooledEvent> spool = new ArrayList<>();

    /** Appends a spool line: {@code at} in seconds after a fixed instant, null recovered for a delivered hook. */
    RecoveredEventPlacementTest line(double at, String recovered, String event, String prompt, String toolUseId) {
        ObjectNode e = JSON.createObjectNode().put("session_id", "s").put("hook_event_name", event);
        if (prompt != null) {
            e.put("prompt_id", prompt);
        }
        if (toolUseId != null) {
            e.put("tool_use_id", toolUseId).put("tool_name", "Bash");
        }
        Instant t = Instant.parse("2026-11-21T10:00:00Z").plusMillis((long) (at * 1000));
        spool.add(new SpooledEvent(spool.size() + 1, t.toString(), t.toEpochMilli(), e, recovered));
        return this;
    }

    RecoveredEventPlacementTest hook(double at, String event, String prompt, String toolUseId) {
        return line(at, null, event, prompt, toolUseId);
    }

    RecoveredEventPlacementTest rebuilt(double at, String event, String prompt, String toolUseId) {
        return line(at, "transcript", event, prompt, toolUseId);
    }

    List<Integer> lines() {
        return new ClaudeCodeAdapter().normalize(spool).stream().map(AgentEvent::line).toList();
    }

    @Test
    void deliveredEventsKeepTheirSpoolOrderEvenWhenTheirTimesDisagree() {
        hook(1, "UserPromptSubmit", "p", null).hook(3, "PreToolUse", "p", "a").hook(2, "PreToolUse", "p", "b")
                .hook(5, "PostToolUse", "p", "b").hook(4, "PostToolUse", "p", "a").hook(6, "Stop", "p", null);
        assertThat(lines()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aRecoveredEventGoesBeforeTheFirstLaterDeliveredEventOfItsTurn() {
        hook(1, "UserPromptSubmit", "p", null)      // 1
                .hook(2, "PreToolUse", "p", "a")    // 2
                .hook(5, "PostToolUse", "p", "a")   // 3
                .hook(9, "Stop", "p", null)         // 4
                .rebuilt(4, "PostToolUse", "p", "b")  // 5: before line 3 (time 5)
                .rebuilt(3, "PreToolUse", "p", "b");  // 6: before line 3 too, and before line 5 (earlier)
        assertThat(lines()).containsExactly(1, 2, 6, 5, 3, 4);
    }

    @Test
    void aRecoveredEventNeverGoesBeforeItsPromptNorAnchorsOnAnotherTurn() {
        hook(5, "UserPromptSubmit", "p1", null)      // 1
                .hook(6, "Stop", "p1", null)         // 2
                .hook(7, "UserPromptSubmit", "p2", null) // 3
                .hook(9, "Stop", "p2", null)         // 4
                .rebuilt(4, "PreToolUse", "p1", "a")  // 5: stamped before its prompt's arrival: right after it
                .rebuilt(8, "PreToolUse", "p1", "b")  // 6: nothing of p1 later: stays where it was appended
                .rebuilt(8, "PreToolUse", "p2", "c"); // 7: before p2's Stop
        assertThat(lines()).containsExactly(1, 5, 2, 3, 7, 4, 6);
    }

    @Test
    void eachHookReportIsKeptOnceWhenARecoveredOneIsInvolved() {
        hook(1, "UserPromptSubmit", "p", null)        // 1
                .hook(2, "PreToolUse", "p", "a")      // 2
                .hook(9, "Stop", "p", null)           // 3
                .rebuilt(3, "PostToolUse", "p", "a")  // 4
                .hook(4, "PostToolUse", "p", "a")     // 5: the real one, late: dropped, the trace may have gone
                .rebuilt(2, "PreToolUse", "p", "a")   // 6: rebuilt although delivered: dropped
                .hook(5, "PostToolUseFailure", "p", "a"); // 7: another end of the same call: dropped
        assertThat(lines()).containsExactly(1, 2, 4, 3);
    }

    @Test
    void deliveredDuplicatesStayAsTheyAreToday() {
        hook(1, "UserPromptSubmit", "p", null).hook(2, "PreToolUse", "p", "a").hook(3, "PreToolUse", "p", "a")
                .hook(4, "Stop", "p", null);
        assertThat(lines()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void aRecoveredLineIsTaggedWithWhereItCameFrom() {
        hook(1, "UserPromptSubmit", "p", null).rebuilt(2, "PreToolUse", "p", "a");
        List<AgentEvent> events = new ClaudeCodeAdapter().normalize(spool);
        assertThat(events.get(0).recoveredFrom()).isNull();
        assertThat(events.get(1).recoveredFrom()).isEqualTo("transcript");
    }
}
