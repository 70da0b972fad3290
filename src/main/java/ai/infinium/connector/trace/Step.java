package ai.infinium.connector.trace;

/**
 * One step of a trace.
 *
 * @param agentId the subagent the step ran in (or the subagent itself, for subagent steps)
 * @param status {@code unfinished} for a tool that never reported back; empty otherwise
 */
public record Step(
        int stepNumber,
        String action,
        String description,
        String inputPreview,
        String outputPreview,
        Long durationMs,
        String timestamp,
        ErrorDetail error,
        String agentId,
        String status) {

    public Step withDescription(String d) {
        return new Step(stepNumber, action, d, inputPreview, outputPreview, durationMs, timestamp, error, agentId,
                status);
    }

    public Step withPreviews(String input, String output) {
        return new Step(stepNumber, action, description, input, output, durationMs, timestamp, error, agentId, status);
    }
}
