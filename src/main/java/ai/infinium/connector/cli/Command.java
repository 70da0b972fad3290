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
     * The options this command takes, declared once: its parser, the "Options:" part of its
     * {@link #help()} and its shell completion all come from them.
     */
    default Options declaredOptions() {
        return Options.NONE;
    }

    /** Every spelling of its options, for completion. */
    default java.util.List<String> options() {
        return declaredOptions().names();
    }

    int run(java.util.List<String> args, Io io) throws Exception;
}
