package ai.infinium.connector.cli;

import java.util.List;
import java.util.stream.Collectors;

/** The completion scripts themselves, one per shell, from the same list of commands and options. */
final class CompletionScript {
    /** One command: its name, its line in the command list, the words it takes first (server start), its options. */
    record Entry(String name, String summary, List<String> words, List<String> options) {}

    private CompletionScript() {}

    static String bash(List<Entry> entries) {
        StringBuilder s = new StringBuilder();
        s.append("# infinium completion for bash: source <(infinium completion bash)\n");
        s.append("_infinium() {\n");
        s.append("    local cur=${COMP_WORDS[COMP_CWORD]}\n");
        s.append("    if [ \"$COMP_CWORD\" -eq 1 ]; then\n");
        s.append("        COMPREPLY=($(compgen -W \"").append(names(entries)).append(" --help --version\" -- \"$cur\"))\n");
        s.append("        return\n");
        s.append("    fi\n");
        s.append("    case ${COMP_WORDS[1]} in\n");
        for (Entry e : entries) {
            s.append("        ").append(e.name()).append(") COMPREPLY=($(compgen -W \"").append(options(e))
                    .append("\" -- \"$cur\")) ;;\n");
        }
        s.append("    esac\n");
        s.append("}\n");
        s.append("complete -o default -F _infinium infinium\n");
        return s.toString();
    }

    static String zsh(List<Entry> entries) {
        StringBuilder s = new StringBuilder();
        s.append("#compdef infinium\n");
        s.append("# infinium completion for zsh: source <(infinium completion zsh), or save as _infinium in $fpath\n");
        s.append("_infinium() {\n");
        s.append("    local -a commands\n");
        s.append("    commands=(\n");
        for (Entry e : entries) {
            s.append("        ").append(singleQuoted(e.name() + ":" + e.summary().replace(":", "\\:"))).append("\n");
        }
        s.append("    )\n");
        s.append("    if (( CURRENT == 2 )); then\n");
        s.append("        _describe 'command' commands\n");
        s.append("        return\n");
        s.append("    fi\n");
        s.append("    case $words[2] in\n");
        for (Entry e : entries) {
            s.append("        ").append(e.name()).append(") compadd -- ").append(options(e)).append(" ;;\n");
        }
        s.append("    esac\n");
        s.append("}\n");
        s.append("if [ \"$funcstack[1]\" = _infinium ]; then _infinium \"$@\"; else compdef _infinium infinium; fi\n");
        return s.toString();
    }

    static String fish(List<Entry> entries) {
        StringBuilder s = new StringBuilder();
        s.append("# infinium completion for fish: infinium completion fish > ~/.config/fish/completions/infinium.fish\n");
        s.append("complete -c infinium -f\n");
        for (Entry e : entries) {
            s.append("complete -c infinium -n __fish_use_subcommand -a ").append(e.name()).append(" -d ")
                    .append(singleQuoted(e.summary())).append("\n");
        }
        for (Entry e : entries) {
            if (!e.words().isEmpty()) {
                s.append("complete -c infinium -n '__fish_seen_subcommand_from ").append(e.name()).append("' -a ")
                        .append(singleQuoted(String.join(" ", e.words()))).append("\n");
            }
            for (String o : withHelp(e)) {
                s.append("complete -c infinium -n '__fish_seen_subcommand_from ").append(e.name()).append("' ")
                        .append(o.startsWith("--") ? "-l " + o.substring(2) : "-s " + o.substring(1)).append("\n");
            }
        }
        return s.toString();
    }

    private static String names(List<Entry> entries) {
        return entries.stream().map(Entry::name).collect(Collectors.joining(" "));
    }

    /** What may follow the command: its first words and its options (the shells filter by what was typed). */
    private static String options(Entry e) {
        List<String> all = new java.util.ArrayList<>(e.words());
        all.addAll(withHelp(e));
        return String.join(" ", all);
    }

    private static List<String> withHelp(Entry e) {
        List<String> all = new java.util.ArrayList<>(e.options());
        if (!all.contains("--help")) {
            all.add("--help");
        }
        return all;
    }

    /** Quoted for sh, zsh and fish alike: the text between single quotes, each ' closed, escaped and reopened. */
    private static String singleQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
