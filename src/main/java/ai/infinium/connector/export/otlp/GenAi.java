package ai.infinium.connector.export.otlp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;

/**
 * The GenAI semantic conventions' names and values (development status) that the span mapping
 * uses, in one place so a rename in the conventions is one edit.
 */
final class GenAi {
    private GenAi() {}

    static final String OPERATION = "gen_ai.operation.name";
    static final String PROVIDER = "gen_ai.provider.name";
    static final String AGENT_NAME = "gen_ai.agent.name";
    static final String AGENT_ID = "gen_ai.agent.id";
    static final String CONVERSATION_ID = "gen_ai.conversation.id";
    static final String REQUEST_MODEL = "gen_ai.request.model";
    static final String RESPONSE_MODEL = "gen_ai.response.model";
    static final String INPUT_TOKENS = "gen_ai.usage.input_tokens";
    static final String OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    static final String CACHE_READ_TOKENS = "gen_ai.usage.cache_read.input_tokens";
    static final String CACHE_CREATION_TOKENS = "gen_ai.usage.cache_creation.input_tokens";
    static final String REASONING_TOKENS = "gen_ai.usage.reasoning.output_tokens";
    static final String TOOL_NAME = "gen_ai.tool.name";
    static final String TOOL_CALL_ID = "gen_ai.tool.call.id";
    static final String TOOL_TYPE = "gen_ai.tool.type";
    static final String TOOL_ARGUMENTS = "gen_ai.tool.call.arguments";
    static final String TOOL_RESULT = "gen_ai.tool.call.result";
    static final String INPUT_MESSAGES = "gen_ai.input.messages";
    static final String OUTPUT_MESSAGES = "gen_ai.output.messages";

    static final String INVOKE_AGENT = "invoke_agent";
    static final String CHAT = "chat";
    static final String EXECUTE_TOOL = "execute_tool";

    /** Our providers (each agent's usage reader names one) to the conventions' well-known values. */
    private static final Map<String, String> PROVIDERS = Map.ofEntries(
            Map.entry("anthropic", "anthropic"),
            Map.entry("openai", "openai"),
            Map.entry("google", "gcp.gemini"),
            Map.entry("gemini", "gcp.gemini"),
            Map.entry("vertex", "gcp.vertex_ai"),
            Map.entry("vertex_ai", "gcp.vertex_ai"),
            Map.entry("azure", "azure.ai.openai"),
            Map.entry("azure_openai", "azure.ai.openai"),
            Map.entry("bedrock", "aws.bedrock"),
            Map.entry("aws", "aws.bedrock"),
            Map.entry("mistral", "mistral_ai"),
            Map.entry("xai", "x_ai"),
            Map.entry("deepseek", "deepseek"),
            Map.entry("groq", "groq"),
            Map.entry("cohere", "cohere"),
            Map.entry("perplexity", "perplexity"));

    /** The well-known value for ours; ours as it is when the conventions have none. */
    static String provider(String ours) {
        if (ours == null || ours.isBlank()) {
            return null;
        }
        return PROVIDERS.getOrDefault(ours.toLowerCase(Locale.ROOT), ours);
    }

    /** MCP tools ({@code mcp__server__tool}) run in another process: the conventions' "extension". */
    static String toolType(String name) {
        return name != null && name.startsWith("mcp__") ? "extension" : "function";
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message of one text part, as the conventions' input/output messages JSON schema has it. */
    static String messages(String role, String text, String finishReason) {
        ArrayNode messages = JSON.createArrayNode();
        ObjectNode m = messages.addObject();
        m.put("role", role);
        ObjectNode part = m.putArray("parts").addObject();
        part.put("type", "text");
        part.put("content", text);
        if (finishReason != null) {
            m.put("finish_reason", finishReason);
        }
        return messages.toString();
    }
}
