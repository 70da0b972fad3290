package ai.infinium.connector.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Every string of a trace through one function: the redaction's last sweep, so a field added to
 * the trace later is covered without anyone remembering to.
 */
final class TraceStrings {
    private TraceStrings() {}

    static Trace map(Trace t, UnaryOperator<String> f) {
        List<Step> steps = new ArrayList<>(t.steps().size());
        for (Step s : t.steps()) {
            steps.add(new Step(s.stepNumber(), f.apply(s.action()), f.apply(s.description()), f.apply(s.inputPreview()),
                    f.apply(s.outputPreview()), s.durationMs(), f.apply(s.timestamp()), error(s.error(), f),
                    f.apply(s.agentId()), f.apply(s.status()), f.apply(s.name()), f.apply(s.callId())));
        }
        List<ErrorDetail> errors = new ArrayList<>(t.errors().size());
        t.errors().forEach(e -> errors.add(error(e, f)));
        Environment env = t.environment();
        Environment cleanEnv = env == null ? null
                : new Environment(f.apply(env.framework()), f.apply(env.model()), f.apply(env.sessionId()),
                        f.apply(env.workingDirectory()), f.apply(env.permissionMode()), f.apply(env.sessionSource()),
                        tags(env.customTags(), f));
        LlmUsage u = t.llmUsage();
        LlmUsage cleanUsage = u == null ? null
                : new LlmUsage(f.apply(u.model()), f.apply(u.provider()), u.promptTokens(), u.completionTokens(),
                        u.totalTokens(), u.apiCallsCount());
        List<ModelCall> calls = new ArrayList<>(t.modelCalls().size());
        for (ModelCall c : t.modelCalls()) {
            calls.add(new ModelCall(f.apply(c.model()), f.apply(c.provider()), c.inputTokens(), c.outputTokens(),
                    c.cacheReadTokens(), c.cacheCreationTokens(), c.reasoningTokens(), f.apply(c.timestamp()),
                    c.subagent(), f.apply(c.subagentId())));
        }
        return new Trace(f.apply(t.name()), f.apply(t.description()), f.apply(t.currentDatetime()), t.duration(),
                f.apply(t.inputSummary()), f.apply(t.outputSummary()), steps, errors, cleanEnv, cleanUsage,
                f.apply(t.key()), f.apply(t.agent()), f.apply(t.agentName()), calls);
    }

    private static ErrorDetail error(ErrorDetail e, UnaryOperator<String> f) {
        return e == null ? null : new ErrorDetail(f.apply(e.errorType()), f.apply(e.message()), e.recoverable(), e.stepNumber());
    }

    private static Map<String, Object> tags(Map<String, Object> tags, UnaryOperator<String> f) {
        if (tags == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        tags.forEach((k, v) -> out.put(f.apply(k), v instanceof String ? f.apply((String) v) : v));
        return out;
    }
}
