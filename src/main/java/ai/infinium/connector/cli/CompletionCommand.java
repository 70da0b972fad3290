package ai.infinium.connector.cli;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** {@code infinium completion bash|zsh|fish}: a completion script built from the commands and their help. */
final class CompletionCommand implements Command {
    /** Run by the flush worker, never by a person. */
    private static final Set<String> INTERNAL = Set.of("flush");
    private final Supplier<Collection<Command>> commands;

    /** @param commands every command {@code Cli} dispatches to, this one included */
    CompletionCommand(Supplier<Collection<Command>> commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "completion";
    }

    @Override
    public String summary() {
        return "Print a shell completion script (bash, zsh or fish)";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium completion bash|zsh|fish",
                "",
                "Prints a script that completes infinium's commands and their options in that shell.",
                "  bash: add `source <(infinium completion bash)` to ~/.bashrc",
                "  zsh:  add `source <(infinium completion zsh)` to ~/.zshrc (after compinit), or save it",
                "        as _infinium in a folder of $fpath",
                "  fish: infinium completion fish > ~/.config/fish/completions/infinium.fish");
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = Options.NONE.parse(raw, 1);
        if (args.operands().isEmpty()) {
            throw new UsageException("say which shell: bash, zsh or fish");
        }
        List<CompletionScript.Entry> entries = commands.get().stream().filter(c -> !INTERNAL.contains(c.name()))
                .map(c -> new CompletionScript.Entry(c.name(), c.summary(),
                        UsageWords.of(c.name(), c.help()), c.options())).toList();
        String shell = args.operands().get(0);
        String script = switch (shell) {
            case "bash" -> CompletionScript.bash(entries);
            case "zsh" -> CompletionScript.zsh(entries);
            case "fish" -> CompletionScript.fish(entries);
            default -> throw new UsageException("no completion for '" + shell + "': bash, zsh or fish");
        };
        io.out.print(script);
        return OK;
    }
}
