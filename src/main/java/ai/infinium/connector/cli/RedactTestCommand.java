package ai.infinium.connector.cli;

import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.ProjectConfig;
import ai.infinium.connector.redact.RedactionPolicy;
import ai.infinium.connector.redact.Redactor;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code infinium redact-test [FILE|-]}: the text as a trace would carry it, under this
 * project's redaction settings, and what each rule replaced; for users checking their own data.
 */
final class RedactTestCommand implements Command {
    static final Options OPTIONS = Options.of(Option.flag("--json",
            "one JSON object: the redacted text, the count per rule, whether redaction is on"));

    @Override
    public String name() {
        return "redact-test";
    }

    @Override
    public String summary() {
        return "Show what redaction makes of a file or of standard input";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium redact-test [FILE|-] [--json]",
                "",
                "Prints FILE (or standard input, with - or no FILE) as a trace from this project would",
                "carry it: every secret the rules find replaced by [REDACTED:<rule>]. The count per rule",
                "goes to standard error, so `infinium redact-test notes.txt > clean.txt` keeps the text",
                "alone. The rules are the built-in ones plus this project's \"redact\" settings in",
                ".infinium/config.json (extra rules, allow patterns); with redaction switched off",
                "(CONNECTOR_REDACT=off or \"enabled\": false) it prints the text unchanged, as it would",
                "be sent, and says so. Nothing is sent anywhere.",
                "",
                OPTIONS.help(),
                "",
                "Exit codes: 0 done (whether or not anything was found), 1 the file or the project's",
                "settings cannot be read, 2 usage error.");
    }

    @Override
    public Options declaredOptions() {
        return OPTIONS;
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = OPTIONS.parse(raw, 1);
        String source = args.operands().isEmpty() ? "-" : args.operands().get(0);
        String text;
        try {
            text = source.equals("-") ? io.readAll() : read(io.cwd.resolve(source));
        } catch (IOException e) {
            io.err.println("infinium redact-test: cannot read " + source + ": " + ai.infinium.connector.diag.ErrorWords.of(e));
            return FAILED;
        }
        ProjectConfig project;
        try {
            project = ProjectConfig.find(io.cwd).orElse(null);
        } catch (ConfigException e) {
            io.err.println("infinium redact-test: " + e.getMessage());
            return FAILED;
        }
        RedactionPolicy policy = RedactionPolicy.of(io.ctx.settings(), project);
        Redactor builtIn = Redactor.defaults();
        Redactor redactor;
        try {
            redactor = policy.redactor(builtIn);
        } catch (ConfigException e) {
            io.err.println("infinium redact-test: " + e.getMessage());
            return FAILED;
        }
        Redactor.Result result = redactor.redact(text);
        if (args.has("--json")) {
            ObjectNode n = new ObjectMapper().createObjectNode();
            n.put("redaction", policy.on() ? "on" : "off");
            n.put("off_because", policy.offBecause());
            n.put("text", result.text());
            ObjectNode counts = n.putObject("counts");
            result.counts().forEach(counts::put);
            n.put("total", result.total());
            io.out.println(n.toString());
            return OK;
        }
        io.out.print(result.text());
        io.out.flush();
        if (policy.warning() != null) {
            io.err.println("infinium redact-test: " + policy.warning());
        }
        if (!policy.on()) {
            io.err.println("infinium redact-test: redaction is OFF here (" + policy.offBecause()
                    + "): the text above is what a trace would carry, unchanged");
            return OK;
        }
        String rules = policy.rulesInWords(builtIn);
        if (result.total() == 0) {
            io.err.println("infinium redact-test: nothing to redact (" + rules + ")");
            return OK;
        }
        io.err.println("infinium redact-test: " + result.total() + " replacement" + (result.total() == 1 ? "" : "s")
                + " (" + rules + "):");
        result.counts().forEach((rule, n) -> io.err.printf("  %-28s %d%n", rule, n));
        return OK;
    }

    /** The file's text; bytes that are not UTF-8 become U+FFFD, as in a trace. */
    private static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    }
}
