package ai.infinium.connector.cli;

import ai.infinium.connector.Context;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A command's world: its streams, working directory and context, all passed in so tests run commands in-process. */
public final class Io {
    private final BufferedReader in;
    public final PrintStream out;
    public final PrintStream err;
    public final Path cwd;
    public final Context ctx;
    private final boolean console;

    public Io(InputStream in, PrintStream out, PrintStream err, Path cwd, Context ctx, boolean console) {
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.err = err;
        this.cwd = cwd;
        this.ctx = ctx;
        this.console = console;
    }

    /** Whether these are the process's own streams, where a terminal may be attached (not a test's buffers). */
    public boolean console() {
        return console;
    }

    /** Prints unless CONNECTOR_QUIET asks for silence (errors always print, on stderr). */
    public void say(String s) {
        if (!ctx.settings().quiet()) {
            out.println(s);
        }
    }

    /** The next line of input, as it is; null when the input ended. */
    public String readLine() throws IOException {
        return in.readLine();
    }

    /** All the rest of the input. */
    public String readAll() throws IOException {
        java.io.StringWriter all = new java.io.StringWriter();
        in.transferTo(all);
        return all.toString();
    }

    public String ask(String prompt) throws IOException {
        err.print(prompt);
        err.flush();
        String line = in.readLine();
        return line == null ? null : line.trim();
    }

    /** Reads a secret without echo when a terminal is attached, else a plain line (piped input). */
    public String askSecret(String prompt) throws IOException {
        java.io.Console c = console ? System.console() : null;
        if (c != null) {
            char[] pw = c.readPassword("%s", prompt);
            return pw == null ? null : new String(pw).trim();
        }
        return ask(prompt);
    }
}
