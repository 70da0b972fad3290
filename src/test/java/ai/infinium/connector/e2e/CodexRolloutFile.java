package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Codex rollout file ({@code $CODEX_HOME/sessions/.../rollout-*.jsonl}) read for assertions. Each
 * line is {@code {"timestamp", "ordinal", "type", "payload"}}; the types a tracer cares about are
 * {@code session_meta}, {@code turn_context}, {@code response_item} (message, function_call,
 * function_call_output, ...), {@code token_usage_record} (per response: {@code response_id},
 * {@code usage}) and {@code event_msg} ({@code token_count}, {@code task_complete}, ...).
 */
public record CodexRolloutFile(Path path, List<JsonNode> lines) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads every complete line; a partial last line (the CLI still writing) is left out. */
    public static CodexRolloutFile read(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        return new CodexRolloutFile(path, List.copyOf(lines));
    }

    /** The payloads of lines of one type, in order. */
    public List<JsonNode> payloads(String lineType) {
        return lines.stream().filter(l -> lineType.equals(l.path("type").asText())).map(l -> l.path("payload")).toList();
    }

    /** The {@code response_item} payloads of one item type, e.g. {@code function_call}. */
    public List<JsonNode> responseItems(String itemType) {
        return payloads("response_item").stream().filter(p -> itemType.equals(p.path("type").asText())).toList();
    }

    /**
     * The output Codex gave the model for tool call {@code callId} (the hooks' {@code tool_use_id}).
     * For a shell command it reads {@code "Chunk ID: ...\nWall time: ...\nProcess exited with code
     * N\n..."}: the only place a hook-based tracer finds the exit code.
     */
    public Optional<String> functionCallOutput(String callId) {
        return responseItems("function_call_output").stream()
                .filter(p -> callId.equals(p.path("call_id").asText()))
                .map(p -> p.path("output").asText())
                .findFirst();
    }

    /** The response ids of the {@code token_usage_record} lines: one per model response. */
    public List<String> usageResponseIds() {
        return payloads("token_usage_record").stream().map(p -> p.path("response_id").asText()).toList();
    }
}
