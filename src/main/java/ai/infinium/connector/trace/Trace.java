package ai.infinium.connector.trace;

import java.util.List;

/**
 * One trace in the agent-neutral model the flush queues: everything any exporter needs. The
 * Infinium wire form is most of it ({@code export/infinium}); {@code key}, {@code agent},
 * {@code modelCalls} and the steps' names and call ids are for the other exporters (OTLP spans).
 *
 * @param key the trace key: the Infinium {@code Idempotency-Key}, and the seed of OTLP trace ids
 * @param agent the agent's registry name ({@code claude-code}, {@code codex}, …)
 * @param agentName the agent's name for people ({@code Claude Code}); null in traces queued before it was kept
 * @param modelCalls the API responses this trace counts, in order; {@code llmUsage} sums them
 */
public record Trace(
        String name,
        String description,
        String currentDatetime,
        Double duration,
        String inputSummary,
        String outputSummary,
        List<Step> steps,
        List<ErrorDetail> errors,
        Environment environment,
        LlmUsage llmUsage,
        String key,
        String agent,
        String agentName,
        List<ModelCall> modelCalls) {

    public Trace {
        modelCalls = modelCalls == null ? List.of() : List.copyOf(modelCalls);
    }

    /** A trace with no model calls of its own to report (the connection test's). */
    public Trace(String name, String description, String currentDatetime, Double duration, String inputSummary,
            String outputSummary, List<Step> steps, List<ErrorDetail> errors, Environment environment,
            LlmUsage llmUsage) {
        this(name, description, currentDatetime, duration, inputSummary, outputSummary, steps, errors, environment,
                llmUsage, null, null, null, List.of());
    }

    /** A trace whose agent has no name for people apart from its registry name. */
    public Trace(String name, String description, String currentDatetime, Double duration, String inputSummary,
            String outputSummary, List<Step> steps, List<ErrorDetail> errors, Environment environment,
            LlmUsage llmUsage, String key, String agent, List<ModelCall> modelCalls) {
        this(name, description, currentDatetime, duration, inputSummary, outputSummary, steps, errors, environment,
                llmUsage, key, agent, null, modelCalls);
    }

    public Trace withSteps(List<Step> newSteps) {
        return new Trace(name, description, currentDatetime, duration, inputSummary, outputSummary, newSteps, errors,
                environment, llmUsage, key, agent, agentName, modelCalls);
    }

    public Trace withEnvironment(Environment env) {
        return new Trace(name, description, currentDatetime, duration, inputSummary, outputSummary, steps, errors,
                env, llmUsage, key, agent, agentName, modelCalls);
    }

    /** The same trace with its summaries cut, as the last resort of a size limit. */
    public Trace withSummaries(String newName, String newDescription, String newInput, String newOutput,
            List<ErrorDetail> newErrors) {
        return new Trace(newName, newDescription, currentDatetime, duration, newInput, newOutput, steps, newErrors,
                environment, llmUsage, key, agent, agentName, modelCalls);
    }
}
