package ai.infinium.connector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The directions the code's layers depend on each other, read from the sources (imports and fully
 * qualified names alike): the hook stays free of exporters and parsers, the exporters know
 * nothing of agents, flushes or commands, and nothing but {@code Main} reaches into the commands.
 */
class PackageDependenciesTest {
    private static final Path SOURCES = Path.of("src/main/java/ai/infinium/connector");
    private static final Pattern OURS = Pattern.compile("ai\\.infinium\\.connector\\.([a-z]+)\\.");

    /** Package → the packages of ours it must never name. */
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "hook", List.of("export", "flush", "cli", "serve", "trace", "redact"),
            "export", List.of("agent", "flush", "cli", "hook", "serve", "config"),
            "trace", List.of("export", "flush", "cli", "hook", "serve", "config"),
            "redact", List.of("export", "flush", "cli", "hook", "serve", "trace"),
            "spool", List.of("export", "flush", "cli", "hook", "serve", "trace", "agent", "config"));

    @Test
    void eachLayerNamesOnlyWhatItMay() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, List<String>> rule : FORBIDDEN.entrySet()) {
            for (Path f : sources(SOURCES.resolve(rule.getKey()))) {
                Matcher m = OURS.matcher(Files.readString(f));
                while (m.find()) {
                    if (rule.getValue().contains(m.group(1))) {
                        violations.add(SOURCES.relativize(f) + " names " + m.group(0));
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void onlyMainAndTheCommandsThemselvesNameTheCommands() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path f : sources(SOURCES)) {
            String rel = SOURCES.relativize(f).toString().replace('\\', '/');
            if (rel.startsWith("cli/") || rel.equals("Main.java")) {
                continue;
            }
            if (Files.readString(f).contains("ai.infinium.connector.cli.")) {
                violations.add(rel);
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theHookAndTheExportersLoadNoDataBindingOrClientTheyShouldNot() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path f : sources(SOURCES.resolve("hook"))) {
            String text = Files.readString(f);
            for (String banned : List.of("com.fasterxml.jackson", "java.net.http", "com.github.javakeyring")) {
                if (text.contains(banned)) {
                    violations.add(SOURCES.relativize(f) + " uses " + banned);
                }
            }
        }
        for (Path f : sources(SOURCES.resolve("export/otlp"))) {
            if (Files.readString(f).contains("io.opentelemetry")) {
                violations.add(SOURCES.relativize(f) + " uses the OpenTelemetry SDK");
            }
        }
        assertThat(violations).isEmpty();
    }

    private static List<Path> sources(Path dir) throws IOException {
        assertThat(dir).as("run from the project's root").isDirectory();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }
}
