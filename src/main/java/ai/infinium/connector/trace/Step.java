package ai.infinium.connector.trace;

/**
 * One step of a trace.
 *
 * @param agentId the subagent the step ran in (or the subagent itself, for subagent steps)
 * @param status {@code unfinished} for a tool that never reported back; empty otherwise
 * @param name the tool's name (tool steps) or the subagent's type (subagent steps); null otherwise
 * @param callId the agent's id of the tool call, where it has one
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
        String status,
        String name,
        String callId) {

    public Step(int stepNumber, String action, String description, String inputPreview, String outputPreview,
            Long durationMs, String timestamp, ErrorDetail error, String agentId, String status) {
        this(stepNumber, action, description, inputPreview, outputPreview, durationMs, timestamp, error, agentId, status,
                null, null);
    }

    public Step withDescription(String d) {
        return new Step(stepNumber, action, d, inputPreview, outputPreview, durationMs, timestamp, error, agentId,
                status, name, callId);
    }

    public Step withPreviews(String input, String output) {
        return new Step(stepNumber, action, description, input, output, durationMs, timestamp, error, agentId, status,
                name, callId);
    }

    /** The same step, naming its tool or subagent type and the agent's call id. */
    public Step named(String newName, String newCallId) {
        return new Step(stepNumber, action, description, inputPreview, outputPreview, durationMs, timestamp, error,
                agentId, status, newName, newCallId);
    }
}
