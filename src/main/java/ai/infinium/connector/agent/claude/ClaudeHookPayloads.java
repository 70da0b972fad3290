package ai.infinium.connector.agent.claude;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Hook payloads rebuilt from a transcript, in the shape Claude Code 2.1.330 sends them (field
 * names and order as in the captured fixtures), so a rebuilt event goes through the same
 * normalisation as a delivered one. Fields a transcript does not keep are left out rather than
 * invented: {@code duration_ms}, {@code background_tasks}, {@code session_crons}.
 */
final class ClaudeHookPayloads {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RecordedHooks hooks;
    private final String transcriptPath;

    ClaudeHookPayloads(RecordedHooks hooks) {
        this.hooks = hooks;
        this.transcriptPath = hooks.mainTranscript() == null ? null : hooks.mainTranscript().toString();
    }

    ObjectNode preToolUse(TranscriptToolCall c, TranscriptSubagent in) {
        ObjectNode e = toolContext(c, in, "PreToolUse");
        e.put("tool_name", c.name());
        e.set("tool_input", c.input());
        e.put("tool_use_id", c.id());
        return e;
    }

    /** PostToolUse, or PostToolUseFailure when the result is an error (its text is the hook's {@code error}). */
    ObjectNode postToolUse(TranscriptToolCall c, TranscriptSubagent in) {
        TranscriptToolCall.Result r = c.result();
        ObjectNode e = toolContext(c, in, r.isError() ? "PostToolUseFailure" : "PostToolUse");
        e.put("tool_name", c.name());
        e.set("tool_input", c.input());
        if (r.isError()) {
            e.put("tool_use_id", c.id());
            e.put("error", r.text());
            e.put("is_interrupt", r.toolUseResult() != null && r.toolUseResult().path("interrupted").asBoolean(false));
        } else {
            // Subagent transcripts keep only what the model read; it stands in for the structured result.
            e.set("tool_response", r.toolUseResult() != null ? r.toolUseResult() : r.content());
            e.put("tool_use_id", c.id());
        }
        return e;
    }

    ObjectNode subagentStart(TranscriptSubagent s) {
        ObjectNode e = common(s.cwd(), s.turnId());
        e.put("agent_id", s.agentId());
        putIfPresent(e, "agent_type", s.agentType());
        e.put("hook_event_name", "SubagentStart");
        return e;
    }

    ObjectNode subagentStop(TranscriptSubagent s) {
        ObjectNode e = common(s.cwd(), s.turnId());
        putIfPresent(e, "permission_mode", hooks.permissionMode(s.turnId()));
        e.put("agent_id", s.agentId());
        putIfPresent(e, "agent_type", s.agentType());
        effort(e, s.effort());
        e.put("hook_event_name", "SubagentStop");
        e.put("stop_hook_active", false);
        e.put("agent_transcript_path", s.transcript().toString());
        e.put("last_assistant_message", s.finalMessage());
        return e;
    }

    private ObjectNode toolContext(TranscriptToolCall c, TranscriptSubagent in, String eventName) {
        ObjectNode e = common(c.cwd(), c.turnId());
        putIfPresent(e, "permission_mode", hooks.permissionMode(c.turnId()));
        if (c.agentId() != null) {
            e.put("agent_id", c.agentId());
            putIfPresent(e, "agent_type", in == null ? null : in.agentType());
        }
        effort(e, c.effort());
        e.put("hook_event_name", eventName);
        return e;
    }

    private ObjectNode common(String cwd, String turnId) {
        ObjectNode e = NODES.objectNode();
        putIfPresent(e, "session_id", hooks.sessionId());
        putIfPresent(e, "transcript_path", transcriptPath);
        putIfPresent(e, "cwd", cwd);
        putIfPresent(e, "prompt_id", turnId);
        return e;
    }

    private static void effort(ObjectNode e, String level) {
        if (level != null) {
            e.putObject("effort").put("level", level);
        }
    }

    private static void putIfPresent(ObjectNode e, String field, String value) {
        if (value != null) {
            e.put(field, value);
        }
    }
}
