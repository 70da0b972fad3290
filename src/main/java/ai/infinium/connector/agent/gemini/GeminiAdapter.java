package ai.infinium.connector.agent.gemini;

import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.HookInstaller;
import ai.infinium.connector.agent.UsageSource;
import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gemini CLI's hook events (0.61.0) in the pipeline's terms. A turn is BeforeAgent … AfterAgent
 * (no turn id: prompts mark the turns); events carry Gemini's own ISO timestamps, which the trace
 * keeps. Tool calls have no id in the hooks: BeforeTool and AfterTool are paired in order, by tool
 * and input. The turn's answer comes from the chats file, since AfterAgent's {@code prompt_response}
 * repeats streamed chunks.
 */
public final class GeminiAdapter implements AgentAdapter {
    /** How long a flush waits for the chats file to hold the answer of a turn that just ended. */
    static final Duration CHATS_WAIT = Duration.ofSeconds(3);
    /** Only a turn ended this recently can still be being written; older ones are read as they are. */
    private static final long RECENT_MILLIS = 60_000;

    /**
     * The event the flush rebuilds from the chats file for a turn a failed model request ended:
     * Gemini fires no hook then, but takes the prompt back out of the session's history.
     */
    static final String PROMPT_TAKEN_BACK = "PromptTakenBack";
    static final String CHATS = "chats";

    private final UsageSource usage = new GeminiUsage();

    @Override
    public String name() {
        return Gemini.NAME;
    }

    @Override
    public String displayName() {
        return "Gemini CLI";
    }

    @Override
    public String framework() {
        return "gemini-cli";
    }

    @Override
    public int defaultInputPreview() {
        return 200;
    }

    @Override
    public List<GeminiEvent> events() {
        return List.of(GeminiEvent.values());
    }

    @Override
    public UsageSource usage() {
        return usage;
    }

    @Override
    public HookInstaller installer(Path projectDir, Map<String, String> env, Path home) {
        return new GeminiHookInstaller(projectDir, env, home);
    }

    /** Gemini keeps nothing of ours in the project; its folder there still says the project uses it. */
    @Override
    public String projectMarker() {
        return ".gemini";
    }

    @Override
    public List<AgentEvent> normalize(List<SpooledEvent> spooled) {
        int lastEnd = -1;
        for (int i = 0; i < spooled.size(); i++) {
            if (GeminiEvent.AFTER_AGENT.hookName().equals(spooled.get(i).text("hook_event_name"))) {
                lastEnd = i;
            }
        }
        Map<Path, GeminiChats> chats = new HashMap<>();
        List<OpenCall> open = new ArrayList<>();
        long turnStart = 0;
        long lastToolEnd = 0;
        List<AgentEvent> out = new ArrayList<>(spooled.size());
        for (int i = 0; i < spooled.size(); i++) {
            SpooledEvent s = spooled.get(i);
            String name = s.text("hook_event_name");
            GeminiEvent row = GeminiEvent.named(name);
            long own = GeminiTime.millis(s.text("timestamp"));
            AgentEvent.Builder b = AgentEvent.of(row == null ? EventKind.OTHER : row.kind(), s.line(),
                            own > 0 ? s.text("timestamp") : s.receivedAt(), own > 0 ? own : s.receivedAtMillis())
                    .session(s.text("session_id"))
                    .cwd(s.text("cwd"))
                    .name(name)
                    .tag("transcript_path", s.text("transcript_path"))
                    .tag(AgentEvent.RECOVERED_FROM, s.recovered())
                    .tag(AgentEvent.PLANNED, s.planned() ? "true" : null);
            long at = own > 0 ? own : s.receivedAtMillis();
            JsonNode e = s.event();
            String tool = s.text("tool_name");
            if (row == null) {
                out.add(PROMPT_TAKEN_BACK.equals(name) && s.recovered() != null ? failedTurn(s, own) : b.build());
                continue;
            }
            switch (row) {
                case SESSION_START:
                    b.tag("session_source", s.text("source"));
                    break;
                case BEFORE_AGENT:
                    b.input(s.text("prompt"));
                    open.clear();
                    turnStart = at;
                    lastToolEnd = at;
                    break;
                case BEFORE_TOOL: {
                    String id = "gemini-tool:" + s.line();
                    open.add(new OpenCall(id, tool, String.valueOf(e.get("tool_input"))));
                    b.toolUseId(id).name(tool).input(toolInput(e.get("tool_input")))
                            .tag(AgentEvent.TOOL_DESCRIPTION, e.path("tool_input").path("description").asText(null));
                    break;
                }
                case AFTER_TOOL: {
                    b.toolUseId(pair(open, tool, String.valueOf(e.get("tool_input")), s.line())).name(tool)
                            .input(toolInput(e.get("tool_input")));
                    GeminiToolResult r = GeminiToolResult.of(tool, e.get("tool_response"));
                    b.output(r.output());
                    if (r.error() != null) {
                        b.error(r.errorType(), r.error());
                    }
                    if (r.exitCode() != null) {
                        b.tag("exit_code", Integer.toString(r.exitCode()));
                    }
                    lastToolEnd = at;
                    break;
                }
                case AFTER_AGENT: {
                    Path file = s.text("transcript_path") == null ? null : Path.of(s.text("transcript_path"));
                    boolean wait = i == lastEnd && System.currentTimeMillis() - s.receivedAtMillis() < RECENT_MILLIS;
                    GeminiChats c = wait ? GeminiChats.awaitAnswer(file, Math.max(turnStart, lastToolEnd), at, CHATS_WAIT)
                            : chats.computeIfAbsent(file, GeminiChats::read);
                    if (wait) {
                        chats.put(file, c);
                    }
                    GeminiChats.Message answer = c.answer(Math.max(turnStart, lastToolEnd), at);
                    if (answer != null) {
                        b.output(answer.text()).tag("model", answer.model());
                    }
                    open.clear();
                    break;
                }
                case SESSION_END:
                    b.tag("session_end_reason", s.text("reason"));
                    break;
            }
            out.add(b.build());
        }
        return inTimeOrder(out);
    }

    private static AgentEvent failedTurn(SpooledEvent s, long own) {
        return AgentEvent.of(EventKind.TURN_FAILURE, s.line(), own > 0 ? s.text("timestamp") : s.receivedAt(),
                        own > 0 ? own : s.receivedAtMillis())
                .session(s.text("session_id")).cwd(s.text("cwd")).name(PROMPT_TAKEN_BACK)
                .tag("transcript_path", s.text("transcript_path"))
                .tag(AgentEvent.RECOVERED_FROM, s.recovered())
                .tag(AgentEvent.PLANNED, "true")
                .tag("api_error", "model request failed")
                .error("APIError", "The model request failed: Gemini ended the turn without an answer and took the"
                        + " prompt back (the API's error message reaches no hook)")
                .build();
    }

    /**
     * A rebuilt event is appended to the spool after the events of later turns; turns are told by
     * position, so it goes back where Gemini's own stamps put it.
     */
    private static List<AgentEvent> inTimeOrder(List<AgentEvent> events) {
        List<AgentEvent> out = new ArrayList<>(events.size());
        List<AgentEvent> rebuilt = new ArrayList<>();
        for (AgentEvent e : events) {
            (e.recoveredFrom() != null ? rebuilt : out).add(e);
        }
        for (AgentEvent r : rebuilt) {
            int at = out.size();
            while (at > 0 && out.get(at - 1).millis() > r.millis()) {
                at--;
            }
            out.add(at, r);
        }
        return out;
    }

    /**
     * A turn over (a later prompt came, or the session is over) that no AfterAgent ended, whose
     * prompt the chats file shows taken back, failed on a model request: rebuilt once as {@link
     * #PROMPT_TAKEN_BACK}, stamped with Gemini's time of the rewrite.
     */
    @Override
    public List<byte[]> recover(List<AgentEvent> earlier, List<AgentEvent> read, boolean sessionOver) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            AgentEvent prompt = read.get(i);
            if (prompt.kind() != EventKind.PROMPT) {
                continue;
            }
            boolean ended = false;
            boolean later = false;
            for (int j = i + 1; j < read.size() && !later; j++) {
                EventKind k = read.get(j).kind();
                later = k == EventKind.PROMPT;
                ended |= k == EventKind.TURN_END || k == EventKind.TURN_FAILURE;
            }
            String path = prompt.tags().get("transcript_path");
            if (ended || !(later || sessionOver) || path == null) {
                continue;
            }
            String at = GeminiChats.read(Path.of(path)).promptTakenBack(prompt.input(), prompt.millis());
            if (at != null) {
                out.add(GeminiRebuiltLine.of(prompt, PROMPT_TAKEN_BACK, at.isEmpty() ? prompt.timestamp() : at, CHATS));
            }
        }
        return out;
    }

    /** A BeforeTool still waiting for its AfterTool. */
    private record OpenCall(String id, String tool, String input) {}

    /**
     * The oldest open call of the same tool with the same input, else of the same tool; an
     * AfterTool with no BeforeTool gets an id of its own (a step without a start).
     */
    private static String pair(List<OpenCall> open, String tool, String input, int line) {
        OpenCall match = null;
        for (OpenCall c : open) {
            if (String.valueOf(tool).equals(String.valueOf(c.tool())) && input.equals(c.input())) {
                match = c;
                break;
            }
        }
        if (match == null) {
            for (OpenCall c : open) {
                if (String.valueOf(tool).equals(String.valueOf(c.tool()))) {
                    match = c;
                    break;
                }
            }
        }
        if (match == null) {
            return "gemini-tool:" + line;
        }
        open.remove(match);
        return match.id();
    }

    /** A shell call shows its command line, a file tool its path, anything else its arguments. */
    private static String toolInput(JsonNode input) {
        if (input == null || input.isNull()) {
            return null;
        }
        for (String field : new String[] {"command", "file_path", "absolute_path", "path"}) {
            if (input.path(field).isTextual() && input.size() <= 2) {
                return input.get(field).asText();
            }
        }
        return input.isTextual() ? input.asText() : input.toString();
    }
}
