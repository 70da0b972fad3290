package ai.infinium.connector.e2e;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of {@link FakeAnthropicApi}: either a model reply made of content blocks, or
 * an HTTP error. Tests build them with the static factories, e.g.
 * {@code reply(text("Running it."), toolUse("Bash", Map.of("command", "echo hi")))}.
 */
public sealed interface FakeReply permits FakeReply.Message, FakeReply.Failure {

    /** A block of an assistant message. */
    sealed interface Block permits Text, ToolUse {}

    /** A text block. */
    record Text(String text) implements Block {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A tool call; {@code input} is serialised as the tool's JSON input. */
    record ToolUse(String name, Map<String, ?> input) implements Block {
        public ToolUse {
            Objects.requireNonNull(name, "name");
            // Keep the caller's key order: it is what the agent sees, and LinkedHashMap tolerates nulls.
            input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
        }
    }

    /** An assistant message; stop reason is {@code tool_use} if any block is a tool call. */
    record Message(List<Block> blocks) implements FakeReply {
        public Message {
            blocks = List.copyOf(blocks);
            if (blocks.isEmpty()) {
                throw new IllegalArgumentException("a reply needs at least one block");
            }
        }

        boolean callsTools() {
            return blocks.stream().anyMatch(b -> b instanceof ToolUse);
        }
    }

    /**
     * An HTTP error in the Anthropic error format, e.g. 529 {@code overloaded_error} or 500
     * {@code api_error}. Because a failed call adds no assistant message, a retry asks for the same
     * reply index again and fails again: a failure in a script is permanent for that step.
     *
     * <p>Claude Code 2.1.330 retries 429, 5xx and 529 up to 10 times with exponential backoff
     * (minutes in all); run it with {@code CLAUDE_CODE_MAX_RETRIES=0} to fail after one call. A 400
     * is not retried but re-sent up to 5 times with fewer betas or tools before the CLI gives up.
     */
    record Failure(int status, String errorType, String message) implements FakeReply {
        public Failure {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("not an error status: " + status);
            }
            Objects.requireNonNull(errorType, "errorType");
            Objects.requireNonNull(message, "message");
        }
    }

    static Message reply(Block... blocks) {
        return new Message(List.of(blocks));
    }

    static Text text(String text) {
        return new Text(text);
    }

    static ToolUse toolUse(String name, Map<String, ?> input) {
        return new ToolUse(name, input);
    }

    /** An error reply; the type defaults from the status as the real API does. */
    static Failure failure(int status) {
        return new Failure(status, defaultErrorType(status), "fake API: injected HTTP " + status);
    }

    static Failure failure(int status, String errorType, String message) {
        return new Failure(status, errorType, message);
    }

    private static String defaultErrorType(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 529 -> "overloaded_error";
            default -> "api_error";
        };
    }
}
