package ai.infinium.connector.export.infinium;

/** One {@code POST /agents/{id}/trace}: the encoded trace, its idempotency key, and where and as whom. */
public record TracePost(String key, byte[] body, String baseUrl, String agentId, String secret) {}
