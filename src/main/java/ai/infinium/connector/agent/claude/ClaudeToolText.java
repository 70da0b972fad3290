package ai.infinium.connector.agent.claude;

import com.fasterxml.jackson.databind.JsonNode;

/** What a person wants to see of a Claude Code tool call: the command, the file, the answer. */
final class ClaudeToolText {
    private ClaudeToolText() {}

    static String input(String toolName, JsonNode input) {
        if (input == null || input.isNull() || input.isMissingNode()) {
            return null;
        }
        if (input.isTextual()) {
            return input.asText();
        }
        String tool = toolName == null ? "" : toolName;
        switch (tool) {
            case "Bash":
                return field(input, "command", input);
            case "Read":
            case "Write":
            case "Edit":
            case "MultiEdit":
            case "NotebookEdit":
                return field(input, "file_path", input);
            case "Glob":
            case "Grep":
                return input.has("path") ? field(input, "pattern", input) + " in " + input.get("path").asText()
                        : field(input, "pattern", input);
            case "WebFetch":
                return field(input, "url", input);
            case "WebSearch":
                return field(input, "query", input);
            case "Agent":
            case "Task":
                if (input.has("prompt")) {
                    String d = input.path("description").asText("");
                    return d.isEmpty() ? input.get("prompt").asText() : d + ": " + input.get("prompt").asText();
                }
                return input.toString();
            default:
                return input.toString();
        }
    }

    /**
     * The call's own one-line account of itself ({@code description}, which Bash asks the model
     * for), unless the input shown already holds it (Agent, Task).
     */
    static String description(String toolName, JsonNode input) {
        if (input == null || !input.isObject() || "Agent".equals(toolName) || "Task".equals(toolName)) {
            return null;
        }
        JsonNode d = input.get("description");
        return d != null && d.isTextual() && !d.asText().isBlank() ? d.asText().strip() : null;
    }

    static String output(JsonNode response) {
        if (response == null || response.isNull() || response.isMissingNode()) {
            return null;
        }
        if (response.isTextual()) {
            return response.asText();
        }
        if (response.isObject()) {
            if (response.has("stdout") || response.has("stderr")) {
                String out = response.path("stdout").asText("");
                String err = response.path("stderr").asText("");
                if (err.isEmpty()) {
                    return out;
                }
                return out.isEmpty() ? err : out + "\n" + err;
            }
            if (response.hasNonNull("filePath") && !response.has("file")) {
                String type = response.path("type").asText("");
                String verb = type.equals("create") ? "Created " : type.equals("update") ? "Updated " : "Edited ";
                return verb + response.get("filePath").asText();
            }
            if ("async_launched".equals(response.path("status").asText())) {
                return "Subagent started in the background (" + response.path("agentId").asText() + ")";
            }
            if (response.has("file") && response.get("file").has("content")) {
                return response.get("file").get("content").asText();
            }
            if (response.has("content") && response.get("content").isArray()) {
                String text = joinText(response.get("content"));
                if (!text.isEmpty()) {
                    return text;
                }
            }
        }
        if (response.isArray()) {
            String text = joinText(response);
            if (!text.isEmpty()) {
                return text;
            }
        }
        return response.toString();
    }

    private static String joinText(JsonNode blocks) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode b : blocks) {
            if (b.has("text")) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(b.get("text").asText());
            }
        }
        return sb.toString();
    }

    private static String field(JsonNode input, String name, JsonNode whole) {
        JsonNode v = input.get(name);
        return v == null || v.isNull() ? whole.toString() : v.asText();
    }
}
