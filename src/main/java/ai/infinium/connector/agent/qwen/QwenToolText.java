package ai.infinium.connector.agent.qwen;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text a step shows for a Qwen Code tool call: the shell command or the file for the tools
 * that have one ({@code run_shell_command{command}}, {@code read_file{file_path}}, …), else the
 * input as JSON; the result as the user saw it ({@code returnDisplay}), else what the model read.
 */
final class QwenToolText {
    private static final String[] MAIN_ARGUMENT = {"command", "file_path", "absolute_path", "path", "pattern", "url",
            "query"};

    private QwenToolText() {}

    static String input(JsonNode toolInput) {
        if (toolInput == null || toolInput.isNull()) {
            return null;
        }
        if (toolInput.isObject()) {
            for (String field : MAIN_ARGUMENT) {
                if (toolInput.path(field).isTextual()) {
                    return toolInput.get(field).asText();
                }
            }
        }
        return toolInput.isTextual() ? toolInput.asText() : toolInput.toString();
    }

    /** The call's own account of itself ({@code description}), when it gives one. */
    static String description(JsonNode toolInput) {
        return toolInput != null && toolInput.path("description").isTextual() ? toolInput.get("description").asText()
                : null;
    }

    static String output(JsonNode response) {
        if (response == null || response.isNull()) {
            return null;
        }
        if (!response.isObject()) {
            return response.isTextual() ? response.asText().strip() : response.toString();
        }
        for (String field : new String[] {"returnDisplay", "llmContent"}) {
            JsonNode v = response.get(field);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v.asText().strip();
            }
        }
        JsonNode display = response.get("returnDisplay");
        // A structured display (a diff, a file listing) is shown as JSON rather than dropped.
        return display != null && display.isContainerNode() ? display.toString()
                : response.path("llmContent").isContainerNode() ? response.get("llmContent").toString() : null;
    }
}
