package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.Agents;
import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.testing.TestEnv;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command's --help lists exactly the options it parses, each with its description. */
class CommandHelpTest {
    @TempDir Path tmp;

    List<Command> commands() {
        Cli cli = new Cli(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), new TestEnv(tmp).context(), tmp, false, args -> { });
        return List.copyOf(cli.commands());
    }

    @Test
    void everyCommandsHelpListsTheOptionsItParsesAndNoOthers() {
        List<Command> commands = commands();
        assertThat(commands).extracting(Command::name).contains("init", "retry", "history", "server", "flush");
        for (Command c : commands) {
            String help = c.help();
            Options declared = c.declaredOptions();
            assertThat(listedInHelp(help)).as(c.name() + ": the options its help lists").isEqualTo(declared.names());
            assertThat(c.options()).as(c.name() + ": what completion offers").isEqualTo(declared.names());
            assertThat(help.contains("\nOptions:\n")).as(c.name() + ": an Options section").isEqualTo(!declared.list().isEmpty());
            for (Option o : declared.list()) {
                assertThat(help).as(c.name() + " " + o.name()).containsPattern("(?m)^  \\Q" + o.label() + "\\E  +\\Q"
                        + o.help().get(0) + "\\E$");
                for (String line : o.help()) {
                    assertThat(help).as(c.name() + " " + o.name()).contains(line);
                }
            }
        }
    }

    @Test
    void theServersPartsParseWhatItsHelpLists() {
        assertThat(ServerCommand.START_OPTIONS.names()).containsExactly("--foreground", "--port", "--idle-timeout",
                "--quiet");
        assertThat(ServerCommand.STATUS_OPTIONS.names()).containsExactly("--json");
        assertThat(new ServerCommand().options()).containsExactlyElementsOf(
                ServerCommand.START_OPTIONS.and(ServerCommand.STATUS_OPTIONS).names());
    }

    @Test
    void initHelpShowsEveryOptionWithItsDescription() {
        TestEnv.Result r = new TestEnv(tmp).run(tmp, "init", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: infinium init [options]\n").contains("\nExample:\n")
                .contains(String.join("\n",
                "Options:",
                "  --agent NAME            agent to trace: " + Agents.names() + "; repeat (or use a comma)",
                "                          for both. Without it: asked, or with --no-interactive the agents",
                "                          whose folder (.claude, .codex) the project has",
                "  --agent-id ID           Infinium agent id (asked for when missing)",
                "  --agent-secret SECRET   Infinium agent secret (asked for, without echo, when missing);",
                "                          `-` reads it from the first line of stdin (out of shell history)",
                "  --base-url URL          API base URL (default " + Credentials.DEFAULT_BASE_URL + ")",
                "  --granularity turn|session  one trace per turn (default) or per session",
                "  --mode server|command   server (default): Claude Code's tool events post to the per-user",
                "                          hook server (about 1 ms each), turn boundaries run the command,",
                "                          which starts the server; command: a process per event everywhere",
                "                          (for machines where a local server cannot run). Re-run to switch",
                "  --no-hooks              write the config and store the secret, install no hooks: for the",
                "                          infinium Claude Code or Codex plugin, whose user-wide hooks trace",
                "                          every project set up so (claude plugin install infinium@infinium,",
                "                          codex plugin add infinium@infinium)",
                "  --plugin-credentials    with --no-hooks: the agent id, secret and base URL are the",
                "                          plugin's options (claude plugin configure infinium@infinium),",
                "                          so none is asked for or stored here",
                "  --trust-project         Codex: mark the project trusted in ~/.codex/config.toml so Codex",
                "                          reads its .codex/hooks.json (asked for when interactive)",
                "  --no-interactive        never prompt; fail if something required is missing",
                "  --no-check              do not ask the API (GET /agents/ID/health) whether it accepts the",
                "                          credentials before saving them (by default: refused ones are asked",
                "                          for again, or with --no-interactive fail; unreachable: saved, said)",
                "  --here                  in a subfolder of a git work tree, set up this folder, not the",
                "                          work tree's root (where init goes otherwise)",
                "  --otlp-endpoint URL     also export every trace as OpenTelemetry spans (OTLP/HTTP) to this",
                "                          collector or backend: its base URL (http://localhost:4318, /v1/traces",
                "                          is added as OTEL_EXPORTER_OTLP_ENDPOINT does) or the full traces URL",
                "  --otlp-header K=V       a header for every export (repeat for more; replaces the stored set).",
                "                          Values that look like credentials (authorization, api keys, tokens)",
                "                          go to the secret store, never into the project file",
                "  --otlp-protocol P       http/protobuf (default) or http/json",
                "  --otlp-content          put prompts, tool arguments and results and answers (redacted) into",
                "                          the spans; off by default: only names, timing, tokens and errors",
                "  --no-otlp-content       stop sending that text",
                "  --no-otlp               stop exporting spans from this project",
                "  --no-infinium           send to the OTLP endpoint only: no Infinium agent id or secret needed"));
    }

    @Test
    void retryHelpShowsEveryOptionWithItsDescription() {
        TestEnv.Result r = new TestEnv(tmp).run(tmp, "retry", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: infinium retry [--rejected] [--dry-run] [--exporter NAME]\n")
                .contains("Rejected\nentries (401/403/404/413/422) are resent only with --rejected")
                .endsWith(String.join("\n",
                        "Options:",
                        "  --rejected        also resend the rejected entries",
                        "  --dry-run         list what would be sent, send nothing",
                        "  --exporter NAME   only the entries for this exporter (infinium or otlp)",
                        ""));
    }

    /** The options a help text lists: the leading option words of each line that starts with two spaces and a dash. */
    static List<String> listedInHelp(String help) {
        List<String> out = new ArrayList<>();
        for (String line : help.split("\n")) {
            if (!line.startsWith("  -")) {
                continue;
            }
            for (String word : line.strip().split("\\s+")) {
                String name = word.replaceAll(",$", "");
                if (!name.matches("--?[A-Za-z0-9][A-Za-z0-9-]*")) {
                    break;
                }
                out.add(name);
            }
        }
        return out;
    }
}
