package ai.infinium.connector.trace;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.redact.RedactionPass;
import ai.infinium.connector.redact.Redactor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a planned unit of events, plus the API calls it counts, into the wire trace, redacted:
 * every text is redacted before it is cut to a preview (so a cut cannot halve a secret past the
 * rules), and the finished trace is swept once more, string by string.
 */
public final class TraceBuilder {
    public static final int MAX_NAME = 500;
    public static final int MAX_DESCRIPTION = 10_000;
    public static final double MAX_DURATION_SECONDS = 86_400;
    static final int NAME_CHARS = 30;
    /** A background task's title is the agent's wording, not a person's: kept whole up to here. */
    static final int TASK_NAME_CHARS = 100;

    /** Agent facts the trace needs. */
    /** @param agent the agent's registry name, which the trace carries for exporters */
    public record AgentInfo(String agent, String framework, String displayName, String provider,
            String connectorVersion) {}

    private final AgentInfo agent;
    private final java.util.function.Function<String, java.util.Optional<ai.infinium.connector.project.GitHead>> git;
    private final int maxInput;
    private final int maxOutput;
    private final Redactor redactor;

    /**
     * @param git the git branch and commit checked out where a session works, if any
     * @param redactor {@link Redactor#none()} when the user switched redaction off
     */
    public TraceBuilder(AgentInfo agent, int maxInputPreview, int maxOutputPreview,
            java.util.function.Function<String, java.util.Optional<ai.infinium.connector.project.GitHead>> git,
            Redactor redactor) {
        this.agent = agent;
        this.maxInput = maxInputPreview;
        this.maxOutput = maxOutputPreview;
        this.git = git;
        this.redactor = redactor;
    }

    /** @param session what the trace needs from the rest of the session */
    public Trace build(TraceUnit unit, SessionFacts session, List<ApiCall> calls) {
        RedactionPass pass = redactor.pass();
        Trace trace = TraceStrings.map(build(unit, session, calls, pass), pass::clean);
        Map<String, Object> tags = new LinkedHashMap<>(trace.environment().customTags());
        if (!redactor.active()) {
            tags.put("redaction", "off");
        } else if (pass.total() > 0) {
            tags.put("redactions", pass.total());
            StringBuilder rules = new StringBuilder();
            pass.counts().forEach((rule, n) -> rules.append(rules.length() == 0 ? "" : ", ").append(rule).append(": ").append(n));
            tags.put("redacted_rules", rules.toString());
        }
        return trace.withEnvironment(trace.environment().withCustomTags(tags));
    }

    private Trace build(TraceUnit unit, SessionFacts session, List<ApiCall> calls, RedactionPass pass) {
        List<AgentEvent> stepEvents = unit.stepEvents();
        List<Step> steps = new ArrayList<>();
        List<ErrorDetail> errors = new ArrayList<>();
        int recoveredSteps = buildSteps(stepEvents, session, steps, errors, pass);

        AgentEvent firstPrompt = null;
        AgentEvent lastEnd = null;
        for (Turn t : unit.turns()) {
            for (AgentEvent e : t.events()) {
                if (e.kind() == EventKind.PROMPT && firstPrompt == null) {
                    firstPrompt = e;
                }
                if ((e.kind() == EventKind.TURN_END || e.kind() == EventKind.TURN_FAILURE) && e.output() != null) {
                    lastEnd = e;
                }
            }
        }
        if (lastEnd == null) {
            for (AgentEvent e : stepEvents) {
                if (e.output() != null && (e.kind() == EventKind.SUBAGENT_STOP || e.kind() == EventKind.TURN_END)) {
                    lastEnd = e;
                }
            }
        }
        // Whole, not windowed: the name squeezes whitespace, which pulls later text into what is kept.
        String prompt = firstPrompt == null ? null : pass.clean(firstPrompt.input());
        String task = firstPrompt == null ? null : pass.clean(firstPrompt.tags().get(AgentEvent.BACKGROUND_TASK));
        String name;
        if (unit.granularity() == Granularity.SESSION) {
            int n = unit.turns().size();
            name = agent.displayName() + " session (" + n + (n == 1 ? " turn)" : " turns)");
        } else if (task != null) {
            name = Previews.cut(task.strip().replaceAll("\\s+", " "), TASK_NAME_CHARS);
        } else if (prompt != null && !prompt.isBlank()) {
            name = Previews.cut(prompt.strip().replaceAll("\\s+", " "), NAME_CHARS);
        } else if (unit.turns().isEmpty()) {
            name = agent.displayName() + ": background work finished after its turn";
        } else {
            name = agent.displayName() + " turn " + unit.turns().get(0).index();
        }
        String description = task != null ? task + (prompt == null || prompt.isBlank() ? "" : "\n\n" + prompt)
                : prompt != null && !prompt.isBlank() ? prompt : name;

        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        String endStamp = null;
        for (AgentEvent e : timeSpan(unit)) {
            if (e.millis() > 0) {
                start = Math.min(start, e.millis());
                if (e.millis() >= end) {
                    end = e.millis();
                    endStamp = e.timestamp();
                }
            }
        }
        double duration = start == Long.MAX_VALUE ? 0 : Math.min(MAX_DURATION_SECONDS, Math.max(0, (end - start) / 1000.0));

        return new Trace(
                Previews.cut(name, MAX_NAME),
                Previews.cut(description, MAX_DESCRIPTION),
                endStamp != null ? endStamp : java.time.Instant.now().toString(),
                duration,
                Previews.cut(prompt, MAX_DESCRIPTION),
                cut(pass, lastEnd == null ? null : lastEnd.output(), MAX_DESCRIPTION),
                steps,
                errors,
                environment(unit, session, calls, recoveredSteps),
                usage(calls, session),
                unit.key(),
                agent.agent(),
                agent.displayName(),
                modelCalls(calls));
    }

    private static List<AgentEvent> timeSpan(TraceUnit unit) {
        List<AgentEvent> span = new ArrayList<>(unit.stepEvents());
        for (Turn t : unit.turns()) {
            span.addAll(t.events());
        }
        return span;
    }

    /** Returns how many steps rest on an event the hooks never delivered (rebuilt by the adapter). */
    private int buildSteps(List<AgentEvent> stepEvents, SessionFacts session, List<Step> steps,
            List<ErrorDetail> errors, RedactionPass pass) {
        Map<String, AgentEvent> toolEnds = session.toolEnds;
        Map<String, AgentEvent> toolStarts = session.toolStarts;
        Map<String, AgentEvent> subagentStops = session.subagentStops;
        Map<String, AgentEvent> subagentStarts = session.subagentStarts;
        Set<Integer> inUnit = new HashSet<>();
        stepEvents.forEach(e -> inUnit.add(e.line()));
        int recovered = 0;
        for (AgentEvent e : stepEvents) {
            int n = steps.size() + 1;
            Step step;
            AgentEvent partner = null;
            switch (e.kind()) {
                case PROMPT: {
                    String task = e.tags().get(AgentEvent.BACKGROUND_TASK);
                    step = new Step(n, task == null ? "user_prompt" : "background_task_result",
                            task == null ? "User prompt" : task, cutIn(pass, e.input()), null, null, e.timestamp(), null,
                            e.subagentId(), null);
                    break;
                }
                case TOOL_START: {
                    AgentEvent post = e.toolUseId() == null ? null : toolEnds.get(e.toolUseId());
                    step = toolStep(n, e, post, pass);
                    partner = post;
                    break;
                }
                case TOOL_END:
                case TOOL_FAILURE: {
                    AgentEvent pre = e.toolUseId() == null ? null : toolStarts.get(e.toolUseId());
                    if (pre != null && inUnit.contains(pre.line())) {
                        continue; // reported with its start
                    }
                    step = toolStep(n, pre == null ? e : pre, e, pass);
                    partner = pre;
                    break;
                }
                case SUBAGENT_START: {
                    AgentEvent stop = subagentStops.get(e.subagentId());
                    step = subagentStep(n, e, stop, pass);
                    partner = stop;
                    break;
                }
                case SUBAGENT_STOP: {
                    AgentEvent start = subagentStarts.get(e.subagentId());
                    if (start != null && inUnit.contains(start.line())) {
                        continue;
                    }
                    step = subagentStep(n, start == null ? e : start, e, pass);
                    partner = start;
                    break;
                }
                case COMPACTION:
                    step = new Step(n, "compaction", "Context compacted" + (e.input() == null ? "" : " (" + e.input() + ")"),
                            null, cutOut(pass, e.output()), null, e.timestamp(), null, e.subagentId(), null);
                    break;
                case TURN_END:
                    step = new Step(n, "assistant_response", "Assistant response", null, cutOut(pass, e.output()), null,
                            e.timestamp(), null, e.subagentId(), null);
                    break;
                case TURN_FAILURE: {
                    ErrorDetail err = new ErrorDetail(e.errorType(), cut(pass, e.error(), MAX_DESCRIPTION), false, null);
                    step = new Step(n, "turn_failed", "Turn failed: " + nonNull(e.tags().get("api_error"), "error"),
                            null, cutOut(pass, e.output()), null, e.timestamp(), err, e.subagentId(), null);
                    break;
                }
                default:
                    continue;
            }
            // Graders should know a step was rebuilt because its hook failed (its times come from
            // elsewhere); a tool call read from the transcript by design is an ordinary step.
            String from = nonNull(e.missedHookRecoveredFrom(), partner == null ? null : partner.missedHookRecoveredFrom());
            if (from != null) {
                step = step.withDescription(step.description() + " [recovered from " + from + "]");
                recovered++;
            }
            steps.add(step);
            if (step.error() != null) {
                errors.add(step.error().atStep(step.stepNumber()));
            }
        }
        return recovered;
    }

    private Step toolStep(int n, AgentEvent pre, AgentEvent post, RedactionPass pass) {
        String tool = nonNull(pre.name(), post == null ? null : post.name());
        String subagent = pre.subagentId() != null ? pre.subagentId() : post == null ? null : post.subagentId();
        String own = nonNull(pre.tags().get(AgentEvent.TOOL_DESCRIPTION),
                post == null ? null : post.tags().get(AgentEvent.TOOL_DESCRIPTION));
        String description = "Tool: " + nonNull(tool, "unknown") + (subagent != null ? " (in subagent)" : "")
                + (own != null ? " — " + cut(pass, own, 200) : "");
        String input = pre.input() != null ? pre.input() : post == null ? null : post.input();
        String callId = nonNull(pre.toolUseId(), post == null ? null : post.toolUseId());
        if (post == null || post == pre && pre.kind() == EventKind.TOOL_START) {
            return new Step(n, "tool_use", description, cutIn(pass, input), null, null, pre.timestamp(), null, subagent,
                    "unfinished").named(tool, callId);
        }
        Long duration = post.durationMs();
        if (duration == null && pre != post && pre.millis() > 0 && post.millis() >= pre.millis()) {
            duration = post.millis() - pre.millis();
        }
        ErrorDetail err = null;
        String output = post.output();
        if (post.kind() == EventKind.TOOL_FAILURE || post.error() != null) {
            err = new ErrorDetail(nonNull(post.errorType(), "ToolError"), cut(pass, post.error(), MAX_DESCRIPTION),
                    true, null);
            output = nonNull(output, post.error());
        }
        return new Step(n, "tool_use", description, cutIn(pass, input), cutOut(pass, output), duration, pre.timestamp(), err,
                subagent, null).named(tool, callId);
    }

    private Step subagentStep(int n, AgentEvent start, AgentEvent stop, RedactionPass pass) {
        String type = nonNull(start.subagentType(), stop == null ? null : stop.subagentType());
        String description = "Subagent: " + nonNull(type, "agent");
        if (stop == null || stop == start && start.kind() == EventKind.SUBAGENT_START) {
            return new Step(n, "subagent", description, null, null, null, start.timestamp(), null, start.subagentId(),
                    "unfinished").named(type, null);
        }
        Long duration = start != stop && start.millis() > 0 && stop.millis() >= start.millis()
                ? stop.millis() - start.millis() : null;
        return new Step(n, "subagent", description, null, cutOut(pass, stop.output()), duration, start.timestamp(), null,
                start.subagentId() != null ? start.subagentId() : stop.subagentId(), null).named(type, null);
    }

    private Environment environment(TraceUnit unit, SessionFacts session, List<ApiCall> calls, int recoveredSteps) {
        String sessionId = session.sessionId;
        String cwd = session.startCwd;
        String permission = null;
        String source = session.source;
        String model = session.model;
        for (AgentEvent e : timeSpan(unit)) {
            if (e.kind() == EventKind.PROMPT && e.cwd() != null) {
                cwd = e.cwd();
            }
            permission = nonNull(e.tags().get("permission_mode"), permission);
        }
        if (!calls.isEmpty()) {
            model = calls.get(calls.size() - 1).model();
        }
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("trace_key", unit.key());
        Map<String, Long> details = new java.util.TreeMap<>();
        int subagentCalls = 0;
        for (ApiCall c : calls) {
            c.details().forEach((k, v) -> details.merge(k, v, Long::sum));
            subagentCalls += c.subagent() ? 1 : 0;
        }
        tags.putAll(details);
        if (subagentCalls > 0) {
            tags.put("subagent_api_calls", subagentCalls);
        }
        if (unit.granularity() == Granularity.SESSION) {
            tags.put("turn_count", unit.turns().size());
        } else if (!unit.turns().isEmpty()) {
            tags.put("turn_index", unit.turns().get(0).index());
        }
        if (unit.lateEvents() > 0) {
            tags.put("late_events", unit.lateEvents());
        }
        if (recoveredSteps > 0) {
            tags.put("recovered_steps", recoveredSteps);
        }
        if (cwd != null) {
            git.apply(cwd).ifPresent(head -> {
                if (head.branch() != null) {
                    tags.put("git_branch", head.branch());
                }
                if (head.commit() != null) {
                    tags.put("git_commit", head.commit());
                }
            });
        }
        tags.put("connector", "infinium-java/" + agent.connectorVersion());
        return new Environment(agent.framework(), model, sessionId, cwd, permission, source, tags);
    }

    private List<ModelCall> modelCalls(List<ApiCall> calls) {
        List<ModelCall> out = new ArrayList<>(calls.size());
        for (ApiCall c : calls) {
            out.add(ModelCall.of(c, agent.provider()));
        }
        return out;
    }

    private LlmUsage usage(List<ApiCall> calls, SessionFacts session) {
        long prompt = 0;
        long completion = 0;
        String model = null;
        String provider = agent.provider();
        for (ApiCall c : calls) {
            prompt += c.promptTokens();
            completion += c.completionTokens();
            model = c.model();
            provider = c.provider() != null ? c.provider() : provider;
        }
        if (model == null) {
            model = session.model;
        }
        return new LlmUsage(model, provider, prompt, completion, prompt + completion, calls.size());
    }

    private String cutIn(RedactionPass pass, String s) {
        return cut(pass, s, maxInput);
    }

    private String cutOut(RedactionPass pass, String s) {
        return cut(pass, s, maxOutput);
    }

    /** Redacted, then cut: the only way a text of an event becomes a preview. */
    private static String cut(RedactionPass pass, String s, int max) {
        return Previews.cut(pass.cleanStart(s, max), max);
    }

    private static String nonNull(String a, String b) {
        return a != null ? a : b;
    }
}
