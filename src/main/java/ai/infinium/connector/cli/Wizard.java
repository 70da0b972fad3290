package ai.infinium.connector.cli;

import java.io.IOException;
import java.util.function.Function;

/**
 * The questions {@code init} asks, one answer at a time: a flag's value is checked once (a bad
 * one is a usage error), a person's answer is checked as it is given and asked for again when it
 * does not pass, so a typo in the base URL does not throw away the secret typed before it.
 */
final class Wizard {
    /** The person's input ended (Ctrl-D, a closed pipe) before the question was answered. */
    static final class InputEnded extends IOException {
        InputEnded(String label) {
            super("no answer to \"" + label + "\" (the input ended); nothing was saved");
        }
    }

    private final Io io;
    private final boolean interactive;

    Wizard(Io io, boolean interactive) {
        this.io = io;
        this.interactive = interactive;
    }

    boolean interactive() {
        return interactive;
    }

    /** The first line of stdin, for {@code --agent-secret -}: a secret kept out of argv and shell history. */
    String secretFromStdin() throws IOException, UsageException {
        String line = io.readLine();
        if (line == null || line.isBlank()) {
            throw new UsageException("--agent-secret - reads the secret from stdin, but stdin gave no line");
        }
        return line.trim();
    }

    /** A required value: the flag's, else (interactive) asked for, else {@code dflt}. */
    String value(String flag, String flagValue, String label, String dflt, boolean secret,
            Function<String, String> problem) throws IOException, UsageException {
        return value(flag, flagValue, label, dflt, secret, problem, null);
    }

    /**
     * @param builtIn shown as the default when there is no {@code dflt}; a blank answer then gives
     *     null (the built-in applies) instead of asking again
     */
    String value(String flag, String flagValue, String label, String dflt, boolean secret,
            Function<String, String> problem, String builtIn) throws IOException, UsageException {
        if (flagValue != null) {
            String v = flagValue.trim();
            String p = problem.apply(v);
            if (p != null) {
                throw new UsageException(flag + ": " + p + (secret ? "" : " (got '" + v + "')"));
            }
            return v;
        }
        if (!interactive) {
            if (dflt == null && builtIn == null) {
                throw new UsageException(flag + " is required with --no-interactive");
            }
            return dflt;
        }
        String shown = secret ? "" : dflt != null ? " [" + dflt + "]" : builtIn != null ? " [" + builtIn + "]" : "";
        while (true) {
            String answer = secret ? io.askSecret(label + ": ") : io.ask(label + shown + ": ");
            if (answer == null) {
                throw new InputEnded(label);
            }
            if (answer.isBlank()) {
                if (dflt != null || builtIn != null) {
                    return dflt;
                }
                io.err.println("  " + label + " is required; try again (Ctrl-D to stop).");
                continue;
            }
            String p = problem.apply(answer.trim());
            if (p == null) {
                return answer.trim();
            }
            io.err.println("  " + p + "; try again (Ctrl-D to stop).");
        }
    }
}
