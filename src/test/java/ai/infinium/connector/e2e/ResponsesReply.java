package ai.infinium.connector.e2e;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of {@link FakeResponsesApi}: either a model response made of output items, or
 * an HTTP error. Tests build them with the static factories, e.g.
 * {@code reply(text("Running it."), shell("echo hi"))}.
 */
public sealed interface ResponsesReply permits ResponsesReply.Response, ResponsesReply.Failure {

    /**
     * The function Codex 0.169.0 runs shell commands through (its "unified exec" tool; the older
     * {@code shell} tool with an argv array is not offered). Hooks see it as tool_name "Bash".
     */
    String SHELL_TOOL = "exec_command";

    /** An output item of a response. */
    sealed interface Item permits Text, FunctionCall {}

    /** An assistant message with one {@code output_text} part. */
    record Text(String text) implements Item {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A function call; {@code arguments} is serialised as the JSON string the API sends. */
    record FunctionCall(String name, Map<String, ?> arguments) implements Item {
        public FunctionCall {
            Objects.requireNonNull(name, "name");
            // Keep the caller's key order: it is what the agent sees, and LinkedHashMap tolerates nulls.
            arguments = Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        }
    }

    /** A completed response; Codex runs its function calls and asks again, or ends the turn if there are none. */
    record Response(List<Item> items) implements ResponsesReply {
        public Response {
            items = List.copyOf(items);
            if (items.isEmpty()) {
                throw new IllegalArgumentException("a reply needs at least one item");
            }
        }
    }

    /**
     * An HTTP error with an OpenAI error body ({@code {"error":{"message","type","param","code"}}}).
     * A failed call adds nothing to the conversation, so a retry asks for the same step and fails
     * again: a failure in a script is permanent for that step. {@link CodexRun} configures the
     * provider with {@code request_max_retries = 0}, so Codex 0.169.0 gives up the turn after one call.
     */
    record Failure(int status, String errorType, String code, String message) implements ResponsesReply {
        public Failure {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("not an error status: " + status);
            }
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(message, "message");
        }
    }

    static Response reply(Item... items) {
        return new Response(List.of(items));
    }

    static Text text(String text) {
        return new Text(text);
    }

    /** A shell command as Codex's model would ask for it: {@code exec_command} with {@code {"cmd": ...}}. */
    static FunctionCall shell(String command) {
        return new FunctionCall(SHELL_TOOL, Map.of("cmd", command));
    }

    static FunctionCall functionCall(String name, Map<String, ?> arguments) {
        return new FunctionCall(name, arguments);
    }

    /** An error reply; the type defaults from the status as the real API does. */
    static Failure failure(int status) {
        return new Failure(status, defaultErrorType(status), null, "fake API: injected HTTP " + status);
    }

    static Failure failure(int status, String errorType, String code, String message) {
        return new Failure(status, errorType, code, message);
    }

    private static String defaultErrorType(int status) {
        return switch (status) {
            case 400, 404, 413 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_exceeded";
            default -> "server_error";
        };
    }
}
