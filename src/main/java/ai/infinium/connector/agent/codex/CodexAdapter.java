package ai.infinium.connector.agent.codex;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.UsageSource;
import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Codex CLI's hook events (0.169.0) in the pipeline's terms. What Codex does not put in its hook
 * payloads comes from its rollout files: a shell command's exit code (PostToolUse carries only the
 * output) and token usage. A subagent runs turns of its own under the parent's session id; its
 * events are folded into the parent turn that spawned it.
 */
public final class CodexAdapter implements AgentAdapter {
    /** The subagent's own turn id, kept so its rollout usage can be mapped to the parent turn. */
    static final String AGENT_TURN_TAG = "agent_turn_id";
    /** PostModelRequest's {@code token_usage}, the fallback when no rollout is readable. */
    static final String TOKEN_USAGE_TAG = "token_usage";

    private final UsageSource usage = new CodexUsage();

    @Override
    public String name() {
        return Codex.NAME;
    }

    @Override
    public String displayName() {
        return "Codex";
    }

    @Override
    public String framework() {
        return "codex-cli";
    }

    @Override
    public int defaultInputPreview() {
        return 200;
    }

    @Override
    public UsageSource usage() {
        return usage;
    }

    @Override
    public ai.infinium.connector.agent.HookInstaller installer(Path projectDir, Map<String, String> env, Path home) {
        return new CodexHookInstaller(projectDir, env, home);
    }

    @Override
    public String projectMarker() {
        return ".codex";
    }

    @Override
    public List<CodexEvent> events() {
        return List.of(CodexEvent.values());
    }

    @Override
    public List<AgentEvent> normalize(List<SpooledEvent> spooled) {
        Map<String, Integer> exitCodes = new HashMap<>();
        for (Path p : rolloutPaths(spooled)) {
            exitCodes.putAll(CodexRollout.read(p).exitCodes);
        }
        Map<String, String> subagentTurnParent = new HashMap<>();
        String parentTurn = null;
        List<AgentEvent> out = new ArrayList<>(spooled.size());
        for (SpooledEvent s : spooled) {
            String agentId = s.text("agent_id");
            String turn = s.text("turn_id");
            if (agentId == null && turn != null) {
                parentTurn = turn;
            }
            String effectiveTurn = turn;
            if (agentId != null && turn != null) {
                String parent = parentTurn;
                effectiveTurn = subagentTurnParent.computeIfAbsent(turn, t -> parent != null ? parent : t);
            }
            out.add(normalize(s, agentId, turn, effectiveTurn, exitCodes));
        }
        return out;
    }

    private static AgentEvent normalize(SpooledEvent s, String agentId, String ownTurn, String turn,
            Map<String, Integer> exitCodes) {
        JsonNode e = s.event();
        String name = s.text("hook_event_name");
        boolean inSubagent = agentId != null;
        AgentEvent.Builder b = AgentEvent.of(kindOf(name, e, inSubagent), s.line(), s.receivedAt(), s.receivedAtMillis())
                .session(s.text("session_id"))
                .turn(turn)
                .cwd(s.text("cwd"))
                .name(name)
                .tag("model", s.text("model"))
                .tag("permission_mode", s.text("permission_mode"))
                .tag("transcript_path", s.text("transcript_path"));
        if (inSubagent) {
            b.subagent(agentId, s.text("agent_type")).tag(AGENT_TURN_TAG, ownTurn);
        }
        String tool = s.text("tool_name");
        switch (name == null ? "" : name) {
            case "SessionStart":
                b.tag("session_source", s.text("source"));
                break;
            case "UserPromptSubmit":
                b.input(s.text("prompt"));
                break;
            case "PreToolUse":
                b.toolUseId(s.text("tool_use_id")).name(tool).input(toolInput(e.get("tool_input")));
                break;
            case "PostToolUse":
                toolResult(s, e, b, tool, exitCodes);
                break;
            case "SubagentStart":
                b.name(s.text("agent_type"));
                break;
            case "SubagentStop":
                b.name(s.text("agent_type")).output(s.text("last_assistant_message"))
                        .tag("agent_transcript_path", s.text("agent_transcript_path"));
                break;
            case "PostCompact":
                b.input(s.text("trigger"));
                break;
            case "Stop":
                b.output(s.text("last_assistant_message"));
                break;
            case "Interrupt":
                b.error("Interrupted", "Interrupted by the user").tag("api_error", "interrupted");
                break;
            case "PostModelRequest":
                modelRequest(s, e, b);
                break;
            case "SessionEnd":
                b.tag("session_end_reason", s.text("reason"));
                break;
            default:
                break;
        }
        return b.build();
    }

    static EventKind kindOf(String name, JsonNode e, boolean inSubagent) {
        CodexEvent row = CodexEvent.named(name);
        if (row == null) {
            return EventKind.OTHER;
        }
        if (row == CodexEvent.POST_MODEL_REQUEST) {
            return "failed".equals(e.path("status").asText()) ? EventKind.TURN_FAILURE : EventKind.OTHER;
        }
        // A subagent's own prompt and Stop belong to the subagent, not to the turn.
        if (inSubagent && (row == CodexEvent.USER_PROMPT_SUBMIT || row == CodexEvent.STOP)) {
            return EventKind.OTHER;
        }
        return row.kind();
    }

    /**
     * The seed's Codex sends {@code tool_response} as a boolean; 0.169.0 sends the output text and
     * leaves the exit code to the rollout. Either way a failure becomes a step error.
     */
    private static void toolResult(SpooledEvent s, JsonNode e, AgentEvent.Builder b, String tool,
            Map<String, Integer> exitCodes) {
        String callId = s.text("tool_use_id");
        b.toolUseId(callId).name(tool).input(toolInput(e.get("tool_input")));
        JsonNode r = e.get("tool_response");
        if (r != null && r.isBoolean()) {
            b.output(r.asBoolean() ? "Command succeeded" : "Command failed");
            if (!r.asBoolean()) {
                b.error("ToolError", "Command failed");
            }
            return;
        }
        String output = r == null || r.isNull() ? null : r.isTextual() ? r.asText() : r.toString();
        Integer exit = callId == null ? null : exitCodes.get(callId);
        if (exit != null && exit != 0) {
            String message = AgentEvent.commandFailed(exit);
            b.error("ToolError", message).output(output == null || output.isBlank() ? message : output.strip())
                    .tag("exit_code", Integer.toString(exit));
        } else {
            b.output(output == null ? null : output.strip());
        }
    }

    private static void modelRequest(SpooledEvent s, JsonNode e, AgentEvent.Builder b) {
        if (e.hasNonNull("token_usage")) {
            b.tag(TOKEN_USAGE_TAG, e.get("token_usage").toString());
        }
        if ("failed".equals(e.path("status").asText())) {
            String raw = s.text("error");
            b.error("APIError", apiErrorMessage(raw)).tag("api_error", "model request failed");
        }
    }

    /** Codex passes the provider's error body as a string; show its message when it has one. */
    static String apiErrorMessage(String raw) {
        if (raw == null || raw.isBlank()) {
            return "The model request failed";
        }
        try {
            JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw);
            JsonNode m = n.path("error").path("message");
            if (m.isTextual()) {
                return "The model request failed: " + m.asText();
            }
        } catch (java.io.IOException notJson) {
            // plain text error
        }
        return "The model request failed: " + raw;
    }

    private static String toolInput(JsonNode input) {
        if (input == null || input.isNull()) {
            return null;
        }
        if (input.isObject() && input.path("command").isTextual()) {
            return input.get("command").asText();
        }
        if (input.isObject() && input.path("command").isArray()) {
            List<String> parts = new ArrayList<>();
            input.get("command").forEach(p -> parts.add(p.asText()));
            return String.join(" ", parts);
        }
        return input.isTextual() ? input.asText() : input.toString();
    }

    /** The session's own rollout: the transcript of events outside any subagent. */
    static Path mainRollout(List<AgentEvent> events) {
        for (AgentEvent e : events) {
            String p = e.tags().get("transcript_path");
            if (e.subagentId() == null && p != null && !p.isBlank()) {
                return Path.of(p);
            }
        }
        return null;
    }

    /** Every rollout the events name: the session's first, then each subagent's. */
    static Set<Path> rollouts(List<AgentEvent> events) {
        Set<Path> paths = new LinkedHashSet<>();
        Path main = mainRollout(events);
        if (main != null) {
            paths.add(main);
        }
        for (AgentEvent e : events) {
            for (String tag : new String[] {"transcript_path", "agent_transcript_path"}) {
                String p = e.tags().get(tag);
                if (p != null && !p.isBlank()) {
                    paths.add(Path.of(p));
                }
            }
        }
        return paths;
    }

    private static Set<Path> rolloutPaths(List<SpooledEvent> spooled) {
        Set<Path> paths = new LinkedHashSet<>();
        for (SpooledEvent s : spooled) {
            for (String field : new String[] {"transcript_path", "agent_transcript_path"}) {
                String p = s.text(field);
                if (p != null && !p.isBlank()) {
                    paths.add(Path.of(p));
                }
            }
        }
        return paths;
    }
}
