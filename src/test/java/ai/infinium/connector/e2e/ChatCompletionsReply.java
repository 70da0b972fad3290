package ai.infinium.connector.e2e;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of {@link FakeChatCompletionsApi}: either one assistant message (text and/or
 * tool calls), or an HTTP error. Tests build them with the static factories, e.g.
 * {@code reply(text("Running it."), toolCall("bash", Map.of("command", "echo hi")))}.
 *
 * <p>The parts and the error are the Responses API's ({@link ResponsesReply.Text}, {@link
 * ResponsesReply.FunctionCall}, {@link ResponsesReply.Failure}): both OpenAI APIs carry the same
 * text, function calls and error bodies, laid out differently on the wire.
 */
public sealed interface ChatCompletionsReply permits ChatCompletionsReply.Message, ChatCompletionsReply.Failure {

    /**
     * An assistant message: its texts joined in order are the {@code content}, its function calls
     * the {@code tool_calls}; finish reason {@code tool_calls} if it has any, else {@code stop}. The
     * agent runs the calls and asks again with their {@code tool} messages, or ends the turn.
     */
    record Message(List<ResponsesReply.Item> parts) implements ChatCompletionsReply {
        public Message {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("a reply needs at least one part");
            }
        }

        /** The {@code content}, or {@code null} if the message is tool calls only. */
        String content() {
            List<String> texts = parts.stream()
                    .filter(p -> p instanceof ResponsesReply.Text).map(p -> ((ResponsesReply.Text) p).text()).toList();
            return texts.isEmpty() ? null : String.join("", texts);
        }

        List<ResponsesReply.FunctionCall> toolCalls() {
            return parts.stream()
                    .filter(p -> p instanceof ResponsesReply.FunctionCall).map(p -> (ResponsesReply.FunctionCall) p).toList();
        }

        String finishReason() {
            return toolCalls().isEmpty() ? "stop" : "tool_calls";
        }
    }

    /**
     * An HTTP error with an OpenAI error body. A failed call adds no assistant message, so a retry
     * asks for the same step and fails again: a failure in a script is permanent for that step.
     */
    record Failure(ResponsesReply.Failure error) implements ChatCompletionsReply {
        public Failure {
            Objects.requireNonNull(error, "error");
        }

        public int status() {
            return error.status();
        }
    }

    static Message reply(ResponsesReply.Item... parts) {
        return new Message(List.of(parts));
    }

    static ResponsesReply.Text text(String text) {
        return ResponsesReply.text(text);
    }

    /** A function tool call; {@code arguments} is sent as the JSON string the API carries, in the map's key order. */
    static ResponsesReply.FunctionCall toolCall(String name, Map<String, ?> arguments) {
        return ResponsesReply.functionCall(name, arguments);
    }

    /** An error reply; the type defaults from the status as the real API does. */
    static Failure failure(int status) {
        return new Failure(ResponsesReply.failure(status));
    }

    static Failure failure(int status, String errorType, String code, String message) {
        return new Failure(ResponsesReply.failure(status, errorType, code, message));
    }
}
