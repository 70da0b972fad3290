package ai.infinium.connector.export.otlp;

import ai.infinium.connector.trace.ErrorDetail;
import ai.infinium.connector.trace.ModelCall;
import ai.infinium.connector.trace.Step;
import ai.infinium.connector.trace.Trace;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A neutral trace as spans by the GenAI semantic conventions: an {@code invoke_agent} root, an
 * {@code invoke_agent} per subagent, an {@code execute_tool} per tool call and a {@code chat}
 * per model response, each under the agent it ran in. Prompt, tool and answer text appear only
 * when {@code content} is asked for; span names carry agent, model and tool names only.
 * Deterministic: the same trace gives the same spans, ids included.
 */
public final class TraceToSpans {
    private TraceToSpans() {}

    public static List<OtlpSpan> map(Trace t, boolean content) {
        return new Mapping(t, content).run();
    }

    /** What the ids derive from: the trace key; for a trace without one, its session and end time. */
    static String idKey(Trace t) {
        return t.key() != null ? t.key()
                : (t.environment() == null ? "" : t.environment().sessionId()) + "\0" + t.currentDatetime();
    }

    /** The agent's name as people know it ("Claude Code"); its registry name in traces that do not carry it. */
    static String displayName(Trace t) {
        return t.agentName() != null ? t.agentName() : t.agent() != null ? t.agent() : "agent";
    }

    private static final class Mapping {
        private final Trace t;
        private final boolean content;
        private final SpanIds ids;
        private final SpanWindow window;
        private final SpanNode root;
        private final Map<String, SpanNode> subagents = new LinkedHashMap<>();
        private final List<SpanNode> nodes = new ArrayList<>();
        private final Set<String> roles = new HashSet<>();

        Mapping(Trace t, boolean content) {
            this.t = t;
            this.content = content;
            this.ids = new SpanIds(idKey(t));
            this.window = SpanWindow.of(t);
            this.root = new SpanNode(ids.spanId("root"), null, GenAi.INVOKE_AGENT + " " + displayName(t),
                    OtlpSpan.INTERNAL, window.start(), window.end());
        }

        List<OtlpSpan> run() {
            rootAttributes();
            nodes.add(root);
            for (Step s : t.steps()) {
                if ("subagent".equals(s.action())) {
                    subagent(s);
                }
            }
            for (Step s : t.steps()) {
                if ("tool_use".equals(s.action())) {
                    tool(s);
                } else if ("turn_failed".equals(s.action())) {
                    turnFailed(s);
                }
            }
            for (int i = 0; i < t.modelCalls().size(); i++) {
                chat(i, t.modelCalls().get(i));
            }
            for (SpanNode sub : subagents.values()) {
                sub.coverChildren();
            }
            byte[] traceId = ids.traceId();
            List<OtlpSpan> out = new ArrayList<>(nodes.size());
            for (SpanNode n : nodes) {
                out.add(n.toSpan(traceId));
            }
            return out;
        }

        private void rootAttributes() {
            String provider = t.llmUsage() != null ? t.llmUsage().provider()
                    : t.modelCalls().isEmpty() ? null : t.modelCalls().get(0).provider();
            String model = t.llmUsage() != null && t.llmUsage().model() != null ? t.llmUsage().model()
                    : t.environment() == null ? null : t.environment().model();
            root.attrs.put(GenAi.OPERATION, GenAi.INVOKE_AGENT)
                    .put(GenAi.AGENT_NAME, displayName(t))
                    .put(GenAi.CONVERSATION_ID, t.environment() == null ? null : t.environment().sessionId())
                    .put(GenAi.PROVIDER, GenAi.provider(provider))
                    .put(GenAi.REQUEST_MODEL, model)
                    .put(GenAi.RESPONSE_MODEL, model);
            // The chat spans carry the tokens; the root repeats no sum of them, or a backend that
            // adds usage over a trace's spans (Langfuse does) would count every token twice. Only
            // a trace without per-response counts puts its usage here, where nothing else has it.
            if (t.modelCalls().isEmpty() && t.llmUsage() != null) {
                root.attrs.put(GenAi.INPUT_TOKENS, t.llmUsage().promptTokens())
                        .put(GenAi.OUTPUT_TOKENS, t.llmUsage().completionTokens());
            }
            root.attrs.put("infinium.trace_key", t.key())
                    .put("infinium.agent", t.agent())
                    .put("infinium.steps", (long) t.steps().size());
            if (content) {
                if (t.inputSummary() != null && !t.inputSummary().isEmpty()) {
                    root.attrs.put(GenAi.INPUT_MESSAGES, GenAi.messages("user", t.inputSummary(), null));
                }
                if (t.outputSummary() != null && !t.outputSummary().isEmpty()) {
                    root.attrs.put(GenAi.OUTPUT_MESSAGES, GenAi.messages("assistant", t.outputSummary(), "stop"));
                }
            }
        }

        private void subagent(Step s) {
            long start = window.clamp(SpanWindow.nanos(s.timestamp()), root.start);
            long end = s.durationMs() != null ? window.clamp(start + s.durationMs() * 1_000_000L, start) : start;
            String type = s.name() != null ? s.name() : "subagent";
            SpanNode n = new SpanNode(ids.spanId(role("step:" + s.stepNumber())), root,
                    GenAi.INVOKE_AGENT + " " + type, OtlpSpan.INTERNAL, start, end);
            n.attrs.put(GenAi.OPERATION, GenAi.INVOKE_AGENT).put(GenAi.AGENT_NAME, type).put(GenAi.AGENT_ID, s.agentId())
                    .put("infinium.step.number", (long) s.stepNumber())
                    .put("infinium.step.status", blankToNull(s.status()));
            if (s.agentId() != null) {
                subagents.putIfAbsent(s.agentId(), n);
            }
            add(n);
        }

        private void tool(Step s) {
            SpanNode parent = s.agentId() != null && subagents.containsKey(s.agentId()) ? subagents.get(s.agentId()) : root;
            Long at = SpanWindow.nanos(s.timestamp());
            long start = at != null ? window.clamp(at, root.start) : parent.lastChildEnd();
            boolean unfinished = "unfinished".equals(s.status());
            long end = s.durationMs() != null ? window.clamp(start + s.durationMs() * 1_000_000L, start)
                    : unfinished ? window.end() : start;
            String tool = s.name() != null ? s.name() : null;
            SpanNode n = new SpanNode(ids.spanId(role("step:" + s.stepNumber())), parent,
                    tool != null ? GenAi.EXECUTE_TOOL + " " + tool : GenAi.EXECUTE_TOOL, OtlpSpan.INTERNAL, start, end);
            n.attrs.put(GenAi.OPERATION, GenAi.EXECUTE_TOOL).put(GenAi.TOOL_NAME, tool).put(GenAi.TOOL_CALL_ID, s.callId())
                    .put(GenAi.TOOL_TYPE, GenAi.toolType(tool))
                    .put("infinium.step.number", (long) s.stepNumber())
                    .put("infinium.step.status", unfinished ? "unfinished" : null);
            if (content) {
                n.attrs.put(GenAi.TOOL_ARGUMENTS, s.inputPreview()).put(GenAi.TOOL_RESULT, s.outputPreview());
            }
            ErrorDetail e = s.error();
            if (e != null) {
                // A tool's error text is often its output (stderr): without content, only its type.
                String type = e.errorType() != null ? e.errorType() : "ToolError";
                String message = content && e.message() != null ? e.message() : type;
                n.error(message, type, content ? e.message() : null, end);
            }
            add(n);
        }

        /** The API's or agent's failure of a turn (not prompt text): the root's error. */
        private void turnFailed(Step s) {
            ErrorDetail e = s.error();
            String type = e != null && e.errorType() != null ? e.errorType() : "turn_failed";
            String message = e != null && e.message() != null ? e.message() : "the turn failed";
            long at = window.clamp(SpanWindow.nanos(s.timestamp()), window.end());
            if (root.status == null) {
                root.error(message, type, message, at);
            } else {
                root.event(type, message, at);
            }
        }

        private void chat(int i, ModelCall c) {
            SpanNode parent = chatParent(c);
            Long at = SpanWindow.nanos(c.timestamp());
            long end;
            long start;
            if (at != null) {
                end = window.clamp(at, window.end());
                start = Math.max(parent.start, parent.latestChildEndBefore(end));
                start = Math.min(start, end);
            } else {
                // Unknown arrival: a zero-length span right after what precedes it in its agent.
                end = start = Math.max(parent.start, parent.lastChatEnd());
            }
            String model = c.model();
            SpanNode n = new SpanNode(ids.spanId(role("chat:" + i)), parent,
                    model != null ? GenAi.CHAT + " " + model : GenAi.CHAT, OtlpSpan.CLIENT, start, end);
            n.chat = true;
            n.attrs.put(GenAi.OPERATION, GenAi.CHAT)
                    .put(GenAi.PROVIDER, GenAi.provider(c.provider()))
                    .put(GenAi.REQUEST_MODEL, model)
                    .put(GenAi.RESPONSE_MODEL, model)
                    .put(GenAi.INPUT_TOKENS, c.inputTokens())
                    .put(GenAi.OUTPUT_TOKENS, c.outputTokens())
                    .positive(GenAi.CACHE_READ_TOKENS, c.cacheReadTokens())
                    .positive(GenAi.CACHE_CREATION_TOKENS, c.cacheCreationTokens())
                    .positive(GenAi.REASONING_TOKENS, c.reasoningTokens())
                    .put("infinium.timing", at == null ? "unknown" : null);
            add(n);
        }

        private SpanNode chatParent(ModelCall c) {
            if (c.subagentId() != null && subagents.containsKey(c.subagentId())) {
                return subagents.get(c.subagentId());
            }
            if (c.subagent() && subagents.size() == 1) {
                return subagents.values().iterator().next();
            }
            return root;
        }

        private void add(SpanNode n) {
            nodes.add(n);
            n.parent.children.add(n);
        }

        /** A role used twice (steps numbered alike) gets a suffix, so span ids stay distinct. */
        private String role(String base) {
            String r = base;
            for (int k = 2; !roles.add(r); k++) {
                r = base + "#" + k;
            }
            return r;
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s;
        }
    }
}
