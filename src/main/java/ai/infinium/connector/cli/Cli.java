package ai.infinium.connector.cli;

import ai.infinium.connector.Context;
import ai.infinium.connector.Version;
import ai.infinium.connector.config.ConfigException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Dispatches {@code infinium COMMAND …} to one class per command and maps failures to exit codes. */
public final class Cli {
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Context ctx;
    private final Path cwd;
    private final boolean console;
    private final Map<String, Command> commands = new LinkedHashMap<>();

    public Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this(in, out, err, new Context(env), Path.of("").toAbsolutePath(), true);
    }

    public Cli(InputStream in, PrintStream out, PrintStream err, Context ctx, Path cwd, boolean console) {
        this(in, out, err, ctx, cwd, console, ai.infinium.connector.hook.DetachedJvm.FLUSH_WORKER::start);
    }

    /** @param worker starts the flush worker that commands hand delivery to: detached, or in-process in tests */
    public Cli(InputStream in, PrintStream out, PrintStream err, Context ctx, Path cwd, boolean console,
            ai.infinium.connector.hook.HookCommand.JvmStarter worker) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.ctx = ctx;
        this.cwd = cwd;
        this.console = console;
        for (Command c : List.of(new InitCommand(worker), new TestCommand(), new StatusCommand(worker), new DoctorCommand(),
                new PauseCommand("pause", true), new PauseCommand("resume", false), new HistoryCommand(),
                new RetryCommand(), new UpdateCredentialsCommand(worker), new UninstallCommand(), new CleanupCommand(worker),
                new DemoCommand(), new FlushCommand(), new ServerCommand(), new RedactTestCommand(),
                ServerCommand.startAlias(),
                new PauseCommand("stop", true), new PauseCommand("continue", false))) {
            commands.put(c.name(), c);
        }
        Command completion = new CompletionCommand(commands::values);
        commands.put(completion.name(), completion);
    }

    /** Every command's name, aliases included, in the order of the command list. */
    java.util.Set<String> commandNames() {
        return java.util.Collections.unmodifiableSet(commands.keySet());
    }

    /** Every command, aliases included, in the order of the command list. */
    java.util.Collection<Command> commands() {
        return java.util.Collections.unmodifiableCollection(commands.values());
    }

    /** The command a typo most likely meant: at most two edits away (one for short names), else null. */
    String nearest(String typed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : commands.keySet()) {
            int d = editDistance(typed.toLowerCase(java.util.Locale.ROOT), name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= (best.length() <= 4 ? 1 : 2) ? best : null;
    }

    /** Levenshtein distance, adjacent swaps counting one ("stauts" is one edit from "status"). */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    public int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            if (args.length > 1 && commands.containsKey(args[1])) {
                out.println(commands.get(args[1]).help());
            } else {
                out.println(usage());
            }
            return args.length == 0 ? Command.USAGE : Command.OK;
        }
        if (args[0].equals("--version") || args[0].equals("-V") || args[0].equals("version")) {
            Version.describe(ctx.env()).forEach(out::println);
            return Command.OK;
        }
        Command c = commands.get(args[0]);
        if (c == null) {
            String near = nearest(args[0]);
            err.println("infinium: unknown command '" + args[0] + "'."
                    + (near == null ? "" : " Did you mean `infinium " + near + "`?") + " Run `infinium --help` for the list.");
            return Command.USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(c.help());
            return Command.OK;
        }
        try {
            return c.run(rest, new Io(in, out, err, cwd, ctx, console));
        } catch (UsageException e) {
            err.println("infinium " + c.name() + ": " + e.getMessage());
            err.println("Run `infinium " + c.name() + " --help` for usage.");
            return Command.USAGE;
        } catch (ConfigException e) {
            err.println("infinium " + c.name() + ": " + e.getMessage());
            return Command.FAILED;
        } catch (Exception e) {
            err.println("infinium " + c.name() + ": " + ai.infinium.connector.diag.ErrorWords.of(e));
            ctx.log().error(c.name() + " failed: " + e); // the log keeps the exception's kind, for us
            return Command.FAILED;
        }
    }

    private String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("infinium ").append(Version.get()).append(" - traces coding-agent sessions to Infinium\n\n");
        sb.append("Usage: infinium COMMAND [options]\n\nCommands:\n");
        for (Command c : commands.values()) {
            if (c.name().equals("stop") || c.name().equals("continue") || c.name().equals("flush")
                    || c.name().equals("start")) {
                continue;
            }
            sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
        }
        sb.append(String.format("  %-10s %s%n", "hook", "(called by the agent) record one hook event from stdin"));
        sb.append("\nAliases: stop = pause, continue = resume, start = server start.\n");
        sb.append("Run `infinium COMMAND --help` for a command's options.\n");
        sb.append("Exit codes: 0 success, 1 the operation failed (stderr says why), 2 usage error.\n");
        sb.append("Quick start: `infinium demo` (no account needed), then `infinium init` in your project.");
        return sb.toString();
    }
}
