package ai.infinium.connector.trace;

import java.util.Map;

public record Environment(
        String framework,
        String model,
        String sessionId,
        String workingDirectory,
        String permissionMode,
        String sessionSource,
        Map<String, Object> customTags) {

    public Environment withCustomTags(Map<String, Object> tags) {
        return new Environment(framework, model, sessionId, workingDirectory, permissionMode, sessionSource, tags);
    }
}
