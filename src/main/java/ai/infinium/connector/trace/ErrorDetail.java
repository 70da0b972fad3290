package ai.infinium.connector.trace;

/** A failure, on its step (no step number) and in the trace's {@code errors} list (with one). */
public record ErrorDetail(String errorType, String message, Boolean recoverable, Integer stepNumber) {
    public ErrorDetail atStep(int n) {
        return new ErrorDetail(errorType, message, recoverable, n);
    }
}
