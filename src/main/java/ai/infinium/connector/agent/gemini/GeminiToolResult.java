package ai.infinium.connector.agent.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What AfterTool's {@code tool_response} ({@code {llmContent, returnDisplay, error?}}) says of a
 * call. A failing shell command has no {@code error}: its exit code is only the {@code Exit Code: N}
 * line Gemini appends to the output it gives the model (none when the code is 0), followed by
 * bookkeeping lines. Reading only that trailer keeps a command that prints "Exit Code: 9" itself,
 * or a file that holds such a line, from passing for a failure.
 */
record GeminiToolResult(String output, String errorType, String error, Integer exitCode) {
    static final String SHELL = "run_shell_command";
    private static final Pattern EXIT = Pattern.compile("Exit Code: (-?\\d+)");
    private static final List<String> TRAILER = List.of("</untrusted_context>", "Process Group PGID:",
            "Background PIDs:", "Signal:");

    static GeminiToolResult of(String tool, JsonNode response) {
        if (response == null || response.isNull()) {
            return new GeminiToolResult(null, null, null, null);
        }
        if (!response.isObject()) {
            return new GeminiToolResult(response.isTextual() ? response.asText() : response.toString(), null, null, null);
        }
        String display = response.path("returnDisplay").isTextual() ? response.get("returnDisplay").asText() : null;
        String content = response.path("llmContent").isTextual() ? response.get("llmContent").asText()
                : response.hasNonNull("llmContent") ? response.get("llmContent").toString() : null;
        String output = display != null && !display.isBlank() ? display.strip() : unwrapped(content);
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            String message = error.path("message").asText(error.isTextual() ? error.asText() : error.toString());
            return new GeminiToolResult(output, error.path("type").asText("ToolError"), message, null);
        }
        Integer exit = SHELL.equals(tool) ? exitCode(content) : null;
        if (exit != null && exit != 0) {
            return new GeminiToolResult(output, "ToolError", ai.infinium.connector.agent.AgentEvent.commandFailed(exit), exit);
        }
        return new GeminiToolResult(output, null, null, exit);
    }

    /** The code in the trailer of a shell call's llmContent, or null when it names none. */
    static Integer exitCode(String content) {
        if (content == null) {
            return null;
        }
        List<String> lines = content.strip().lines().toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (TRAILER.stream().anyMatch(line::startsWith)) {
                continue;
            }
            Matcher m = EXIT.matcher(line);
            return m.matches() ? Integer.valueOf(m.group(1)) : null;
        }
        return null;
    }

    /** The model's copy of the output, without the wrapper Gemini puts around untrusted text. */
    private static String unwrapped(String content) {
        if (content == null) {
            return null;
        }
        String s = content.strip();
        if (s.startsWith("<untrusted_context>") && s.endsWith("</untrusted_context>")) {
            s = s.substring("<untrusted_context>".length(), s.length() - "</untrusted_context>".length()).strip();
        }
        return s;
    }
}
