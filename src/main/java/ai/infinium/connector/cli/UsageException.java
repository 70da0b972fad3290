package ai.infinium.connector.cli;

/** Wrong words on the command line: exit code 2 with the message and a pointer to --help. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
