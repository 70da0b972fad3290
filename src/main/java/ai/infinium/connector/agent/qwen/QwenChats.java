package ai.infinium.connector.agent.qwen;

import ai.infinium.connector.spool.LargeJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the connector needs from Qwen Code's chat transcript ({@code transcript_path}, {@code
 * ~/.qwen/projects/<project>/chats/<session_id>.jsonl}): each model response of the conversation
 * (an {@code assistant} line with its {@code usageMetadata}, written once per response) and each
 * failed API call ({@code qwen-code.api_error} telemetry). Assistant lines name no turn; the
 * {@code qwen-code.api_response} telemetry line Qwen writes just before each of them does, with
 * the auth type. Calls that write no assistant line (the background memory extraction, whose
 * prompt id is not the session's {@code <session>########<n>}) are not responses of a turn.
 */
final class QwenChats {
    private static final ObjectMapper JSON = LargeJson.mapper();
    /** Qwen's separator between session id and turn number in a turn's prompt id. */
    static final String TURN_SEPARATOR = "########";

    /** One model response of the conversation. */
    record Response(String uuid, String turnId, String model, long promptTokens, long completionTokens,
            long cachedTokens, long thoughtsTokens, String authType, String text) {}

    /** One failed model API call, as Qwen logged it. */
    record ApiError(String promptId, String timestamp, String message, String type, String status, String authType) {}

    final List<Response> responses = new ArrayList<>();
    final List<ApiError> errors = new ArrayList<>();

    static QwenChats read(Path file) {
        QwenChats c = new QwenChats();
        if (file == null || !Files.isReadable(file)) {
            return c;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            String turn = null;
            String authType = null;
            boolean background = false;
            while ((line = in.readLine()) != null) {
                JsonNode d;
                try {
                    d = JSON.readTree(line);
                } catch (IOException partialLine) {
                    continue; // the agent may be writing it right now
                }
                String type = d.path("type").asText();
                if (type.equals("system") && d.path("subtype").asText().equals("ui_telemetry")) {
                    JsonNode ev = d.path("systemPayload").path("uiEvent");
                    String name = ev.path("event.name").asText();
                    String promptId = ev.path("prompt_id").asText(null);
                    if (name.equals("qwen-code.api_response")) {
                        background = !isTurn(promptId);
                        if (!background) {
                            turn = promptId;
                            authType = ev.path("auth_type").asText(authType);
                        }
                    } else if (name.equals("qwen-code.api_error") && isTurn(promptId)) {
                        c.errors.add(new ApiError(promptId, ev.path("event.timestamp").asText(d.path("timestamp").asText()),
                                ev.path("error_message").asText(null), ev.path("error_type").asText(null),
                                ev.path("status_code").asText(null), ev.path("auth_type").asText(null)));
                    }
                } else if (type.equals("assistant") && d.path("usageMetadata").isObject() && !background) {
                    JsonNode u = d.get("usageMetadata");
                    c.responses.add(new Response(d.path("uuid").asText(), turn, d.path("model").asText(null),
                            u.path("promptTokenCount").asLong(), u.path("candidatesTokenCount").asLong(),
                            u.path("cachedContentTokenCount").asLong(), u.path("thoughtsTokenCount").asLong(), authType,
                            text(d.path("message").path("parts"))));
                }
            }
        } catch (IOException ignored) {
            // an unreadable transcript costs the usage it held, not the trace
        }
        return c;
    }

    /** A main-conversation turn's prompt id; background calls (memory extraction) have others. */
    static boolean isTurn(String promptId) {
        return promptId != null && promptId.contains(TURN_SEPARATOR);
    }

    private static String text(JsonNode parts) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : parts) {
            if (p.path("text").isTextual() && !p.path("thought").asBoolean(false)) {
                sb.append(p.get("text").asText());
            }
        }
        return sb.toString();
    }
}
