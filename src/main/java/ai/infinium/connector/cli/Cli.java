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
        for (Command c : List.of(new InitCommand(), new TestCommand(), new StatusCommand(worker),
                new PauseCommand("pause", true), new PauseCommand("resume", false), new HistoryCommand(),
                new RetryCommand(), new UpdateCredentialsCommand(), new UninstallCommand(), new CleanupCommand(worker),
                new DemoCommand(), new FlushCommand(), new ServerCommand(),
                ServerCommand.startAlias(),
                new PauseCommand("stop", true), new PauseCommand("continue", false))) {
            commands.put(c.name(), c);
        }
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
            out.println("infinium " + Version.get());
            return Command.OK;
        }
        Command c = commands.get(args[0]);
        if (c == null) {
            err.println("infinium: unknown command '" + args[0] + "'. Run `infinium --help` for the list.");
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
            err.println("infinium " + c.name() + ": " + e);
            ctx.log().error(c.name() + " failed: " + e);
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
