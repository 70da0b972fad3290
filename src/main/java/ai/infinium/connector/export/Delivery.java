package ai.infinium.connector.export;

/** One trace ready to go: its bytes, its idempotency key and where and as whom to send it. */
public record Delivery(String key, byte[] body, String baseUrl, String agentId, String secret) {}
