package ai.infinium.connector.agent.copilot;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.agent.UsageSource;
import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub Copilot CLI's hook events (1.0.102) in the pipeline's terms. Its payloads carry no event
 * name (the hook's command line adds it), no turn id and no tool call id: a turn is named by its
 * prompt's {@code timestamp}, which the session log repeats, and a postToolUse pairs with the
 * earliest open preToolUse of the same tool and arguments in its turn. Exit codes, the final text
 * and the model come from the session log ({@link CopilotSessionLog}).
 */
public final class CopilotAdapter implements AgentAdapter {
    /** The payload's own {@code timestamp} (Unix ms): the key the session log shares with the hooks. */
    static final String AT_TAG = "copilot_at";
    static final String TRANSCRIPT_TAG = "transcript_path";
    /** How long the flush waits for Copilot to write a just-ended turn into its session log. */
    static final Duration LOG_WAIT = Duration.ofSeconds(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** postToolUse's text ends so when the shell call exited; the session log says it too. */
    private static final Pattern EXIT_TRAILER = Pattern.compile("<shellId: [^>]* completed with exit code (-?\\d+)>\\s*$");

    private final UsageSource usage = new CopilotUsage();

    @Override
    public String name() {
        return Copilot.NAME;
    }

    @Override
    public String displayName() {
        return "GitHub Copilot CLI";
    }

    @Override
    public String framework() {
        return "copilot-cli";
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
    public HookInstaller installer(Path projectDir, Map<String, String> env, Path home) {
        return new CopilotHookInstaller(projectDir, env, home);
    }

    /** Copilot's repository settings folder; init offers Copilot when it is there. */
    @Override
    public String projectMarker() {
        return ".github/copilot";
    }

    @Override
    public List<CopilotEvent> events() {
        return List.of(CopilotEvent.values());
    }

    @Override
    public List<AgentEvent> normalize(List<SpooledEvent> spooled) {
        CopilotSessionLog log = sessionLog(spooled);
        List<AgentEvent> out = new ArrayList<>(spooled.size());
        Turn turn = new Turn(null, -1);
        for (SpooledEvent s : spooled) {
            String name = s.text("hook_event_name");
            CopilotEvent row = CopilotEvent.named(name);
            long at = s.event().path("timestamp").asLong(-1);
            if (row == CopilotEvent.USER_PROMPT_SUBMITTED) {
                turn = new Turn(turnId(at), at);
            }
            EventKind kind = row == null ? EventKind.OTHER : row.kind();
            if (row == CopilotEvent.SESSION_END && "error".equals(s.text("reason")) && turn.id != null && !turn.stopped) {
                kind = EventKind.TURN_FAILURE; // an API error: no agentStop ends this turn
            }
            AgentEvent.Builder b = AgentEvent.of(kind, s.line(), s.receivedAt(), s.receivedAtMillis())
                    .session(s.text("sessionId"))
                    .turn(turn.id)
                    .cwd(s.text("cwd"))
                    .name(name)
                    .tag(AT_TAG, at < 0 ? null : Long.toString(at));
            JsonNode e = s.event();
            switch (row == null ? CopilotEvent.ERROR_OCCURRED : row) {
                case USER_PROMPT_SUBMITTED:
                    b.input(s.text("prompt")).tag("model", log.model);
                    break;
                case PRE_TOOL_USE:
                    tool(b, e, turn.open(e, s.line()));
                    break;
                case POST_TOOL_USE:
                    tool(b, e, turn.close(e, s.line()));
                    toolResult(b, e, log.exitCodes.get(at));
                    break;
                case POST_TOOL_USE_FAILURE:
                    tool(b, e, turn.close(e, s.line()));
                    b.error("ToolError", firstText(e.path("error").path("message"), e.path("error"),
                            e.path("toolResult").path("textResultForLlm"), "The tool failed"));
                    break;
                case AGENT_STOP:
                    turn.stopped = true;
                    b.output(log.finalText.get(turn.promptAt)).tag(TRANSCRIPT_TAG, s.text("transcriptPath"));
                    break;
                case SESSION_END:
                    b.tag("session_end_reason", s.text("reason"));
                    if (kind == EventKind.TURN_FAILURE) {
                        b.error("APIError", "The model request failed"
                                + (turn.lastError == null ? "" : ": " + turn.lastError)).tag("api_error", "model request failed");
                    }
                    break;
                case ERROR_OCCURRED:
                default:
                    if (row == CopilotEvent.ERROR_OCCURRED) {
                        turn.lastError = errorMessage(e.path("error").path("message").asText(null));
                        b.tag("error_context", s.text("errorContext"));
                    }
                    break;
            }
            out.add(b.build());
        }
        return out;
    }

    /** A turn's id from its prompt's timestamp, the key its usage records are found by. */
    static String turnId(long promptAt) {
        return "prompt@" + promptAt;
    }

    /** The turn being read: its calls still open, for pairing, and how it ended so far. */
    private static final class Turn {
        final String id;
        final long promptAt;
        final List<JsonNode> openCalls = new ArrayList<>();
        final List<String> openIds = new ArrayList<>();
        boolean stopped;
        String lastError;

        Turn(String id, long promptAt) {
            this.id = id;
            this.promptAt = promptAt;
        }

        String open(JsonNode pre, int line) {
            String id = "call@" + line;
            openCalls.add(pre);
            openIds.add(id);
            return id;
        }

        /** The earliest open call of the same tool and arguments; a post with none gets an id of its own. */
        String close(JsonNode post, int line) {
            for (int i = 0; i < openCalls.size(); i++) {
                JsonNode pre = openCalls.get(i);
                if (pre.path("toolName").equals(post.path("toolName")) && pre.path("toolArgs").equals(post.path("toolArgs"))) {
                    openCalls.remove(i);
                    return openIds.remove(i);
                }
            }
            return "call@" + line;
        }
    }

    private static void tool(AgentEvent.Builder b, JsonNode e, String callId) {
        JsonNode args = e.path("toolArgs");
        b.toolUseId(callId).name(e.path("toolName").asText(null)).input(toolInput(args))
                .tag(AgentEvent.TOOL_DESCRIPTION, args.path("description").asText(null));
    }

    /** postToolUse says "success" for a failed command too: the exit code tells. */
    private static void toolResult(AgentEvent.Builder b, JsonNode e, Integer fromLog) {
        JsonNode result = e.path("toolResult");
        String text = result.path("textResultForLlm").asText(null);
        Integer exit = fromLog;
        if (exit == null && text != null) {
            Matcher m = EXIT_TRAILER.matcher(text);
            exit = m.find() ? Integer.valueOf(m.group(1)) : null;
        }
        String output = text == null ? null : text.strip();
        if (exit != null && exit != 0) {
            String message = AgentEvent.commandFailed(exit);
            b.error("ToolError", message).output(output == null || output.isEmpty() ? message : output)
                    .tag("exit_code", Integer.toString(exit));
        } else if ("failure".equals(result.path("resultType").asText()) || "denied".equals(result.path("resultType").asText())) {
            b.error("ToolError", output == null || output.isEmpty() ? "The tool failed" : output).output(output);
        } else {
            b.output(output);
        }
    }

    private static String toolInput(JsonNode args) {
        if (args.isMissingNode() || args.isNull()) {
            return null;
        }
        if (args.path("command").isTextual()) {
            return args.get("command").asText();
        }
        if (args.path("path").isTextual() && args.size() == 1) {
            return args.get("path").asText();
        }
        return args.isTextual() ? args.asText() : args.toString();
    }

    private static String firstText(JsonNode a, JsonNode b, JsonNode c, String otherwise) {
        for (JsonNode n : new JsonNode[] {a, b, c}) {
            if (n.isTextual() && !n.asText().isBlank()) {
                return n.asText();
            }
        }
        return otherwise;
    }

    /** Copilot passes the provider's error body as the message; show the body's own message when it has one. */
    static String errorMessage(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(raw);
            if (n != null && n.path("message").isTextual()) {
                return n.get("message").asText();
            }
        } catch (IOException notJson) {
            // a plain-text message
        }
        return raw;
    }

    /**
     * The session log the spool's agentStops name, read once the last of them is in it: everything
     * of that turn is written by then.
     */
    private static CopilotSessionLog sessionLog(List<SpooledEvent> spooled) {
        for (int i = spooled.size() - 1; i >= 0; i--) {
            SpooledEvent s = spooled.get(i);
            String path = CopilotEvent.AGENT_STOP.hookName().equals(s.text("hook_event_name")) ? s.text("transcriptPath") : null;
            if (path != null && !path.isBlank()) {
                return CopilotSessionLog.await(Path.of(path), s.event().path("timestamp").asLong(-1), LOG_WAIT);
            }
        }
        return CopilotSessionLog.read(null);
    }

    /** The session log named by the events, for the usage reader. */
    static Path sessionLogPath(List<AgentEvent> events) {
        for (int i = events.size() - 1; i >= 0; i--) {
            String p = events.get(i).tags().get(TRANSCRIPT_TAG);
            if (p != null && !p.isBlank()) {
                return Path.of(p);
            }
        }
        return null;
    }
}
