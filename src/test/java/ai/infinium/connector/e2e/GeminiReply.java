package ai.infinium.connector.e2e;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scripted answer of {@link FakeGeminiApi}: a model turn made of parts (text, function calls),
 * or an HTTP error in the Gemini API's format, e.g. {@code reply(text("Running it."),
 * shell("echo hi"))}.
 */
public sealed interface GeminiReply permits GeminiReply.Response, GeminiReply.Failure {

    sealed interface Part permits Text, FunctionCall {}

    record Text(String text) implements Part {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** A function call; Gemini CLI names its tools {@code run_shell_command}, {@code read_file}, … */
    record FunctionCall(String name, Map<String, ?> args) implements Part {
        public FunctionCall {
            Objects.requireNonNull(name, "name");
            args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        }
    }

    record Response(List<Part> parts) implements GeminiReply {
        public Response {
            parts = List.copyOf(parts);
            if (parts.isEmpty()) {
                throw new IllegalArgumentException("a reply needs at least one part");
            }
        }
    }

    /** An error status; Gemini CLI 0.61.0 does not retry a 400 and ends the run (exit 144). */
    record Failure(int status, String message) implements GeminiReply {
        public Failure {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("not an error status: " + status);
            }
        }

        String apiStatus() {
            return switch (status) {
                case 400 -> "INVALID_ARGUMENT";
                case 403 -> "PERMISSION_DENIED";
                case 404 -> "NOT_FOUND";
                case 429 -> "RESOURCE_EXHAUSTED";
                case 503 -> "UNAVAILABLE";
                default -> "INTERNAL";
            };
        }
    }

    static Response reply(Part... parts) {
        return new Response(List.of(parts));
    }

    static Text text(String text) {
        return new Text(text);
    }

    static FunctionCall call(String name, Map<String, ?> args) {
        return new FunctionCall(name, args);
    }

    /** A {@code run_shell_command} call, described as Gemini's model describes them. */
    static FunctionCall shell(String command) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("command", command);
        args.put("description", "e2e: " + command);
        return new FunctionCall("run_shell_command", args);
    }

    static FunctionCall readFile(String path) {
        return new FunctionCall("read_file", Map.of("file_path", path));
    }

    static Failure failure(int status) {
        return new Failure(status, "fake API: injected HTTP " + status);
    }
}
