package ai.infinium.connector;

import ai.infinium.connector.cli.Cli;
import ai.infinium.connector.hook.HookCommand;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Entry point. The {@code hook} command is dispatched before anything else is touched so the
 * agent's hot path loads only the hook package (no CLI, no data binding, no HTTP).
 */
public final class Main {
    private Main() {}

    /** A plain loop: this runs on the hook's hot path, where every class loaded costs the agent. */
    private static boolean asksForHelp(String[] args) {
        for (String a : args) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) {
        if (args.length > 0 && "hook".equals(args[0]) && asksForHelp(args)) {
            System.out.print(HookCommand.help()); // a person asking, never an agent: help, not an event
            System.out.flush();
            return;
        }
        if (args.length > 0 && "hook".equals(args[0])) {
            // Claude Code signals hooks still running when it exits (StopFailure tens of ms after
            // they start): finish the append instead of dying half-way. The launcher also traps
            // these before exec, which covers JVM start-up.
            SignalShield.ignoreTermination();
            // The hook never fails the agent: whatever happens inside, exit 0 with empty stdout.
            HookCommand.run(args, System.in, System.getenv());
            // halt, not exit: nothing is left to flush, and exit's shutdown logging costs ~5 ms per event.
            Runtime.getRuntime().halt(0);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int code = new Cli(System.in, out, err, System.getenv()).run(args);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
