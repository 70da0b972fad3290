package ai.infinium.connector.trace;

public record LlmUsage(
        String model,
        String provider,
        long promptTokens,
        long completionTokens,
        long totalTokens,
        int apiCallsCount) {}
