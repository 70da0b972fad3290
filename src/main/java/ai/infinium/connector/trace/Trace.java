package ai.infinium.connector.trace;

import java.util.List;

/** The wire form of one trace ({@code POST /agents/{id}/trace}); serialised snake_case, empty values left out. */
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
        LlmUsage llmUsage) {

    public Trace withSteps(List<Step> newSteps) {
        return new Trace(name, description, currentDatetime, duration, inputSummary, outputSummary, newSteps, errors,
                environment, llmUsage);
    }

    public Trace withEnvironment(Environment env) {
        return new Trace(name, description, currentDatetime, duration, inputSummary, outputSummary, steps, errors,
                env, llmUsage);
    }
}
