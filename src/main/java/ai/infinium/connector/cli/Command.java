package ai.infinium.connector.cli;

/** One subcommand. Returns an exit code: 0 success, 1 the operation failed, 2 usage error. */
public interface Command {
    int OK = 0;
    int FAILED = 1;
    int USAGE = 2;

    String name();

    /** One line for the command list. */
    String summary();

    /** The full --help text. */
    String help();

    /**
     * The options this command takes, read from its {@link #help()} (the lines that start with two
     * spaces and a dash), so each option is declared once: where it is explained.
     */
    default java.util.List<String> options() {
        return HelpOptions.of(help());
    }

    int run(java.util.List<String> args, Io io) throws Exception;
}
