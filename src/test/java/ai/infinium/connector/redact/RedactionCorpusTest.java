package ai.infinium.connector.redact;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules against {@code redact/corpus.json}: made-up credentials in their real formats, in the
 * texts an agent sees (prompts, commands, tool outputs, assistant text, tool inputs as compact
 * JSON), realistic near misses that must stay as they are, and judgement calls pinned as decided.
 * A credential counts as caught only when the redacted text holds neither the secret nor any
 * 12-character slice of it, so a half-kept secret counts as leaked.
 */
class RedactionCorpusTest {
    static final Redactor R = Redactor.defaults();
    static final int SLICE = 12;
    static JsonNode corpus;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = RedactionCorpusTest.class.getResourceAsStream("/redact/corpus.json")) {
            assertThat(in).as("redact/corpus.json on the test classpath").isNotNull();
            corpus = new ObjectMapper().readTree(in);
        }
    }

    /** Whether {@code redacted} still shows the secret, whole or any 12-character slice of it. */
    static boolean leaks(String redacted, String secret) {
        if (redacted.contains(secret)) {
            return true;
        }
        for (int i = 0; i + SLICE <= secret.length(); i++) {
            if (redacted.contains(secret.substring(i, i + SLICE))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void catchesTheCredentialsAndLeavesTheNearMisses() {
        int credentials = 0;
        int caught = 0;
        Set<String> formats = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode e : corpus.path("credentials")) {
            credentials++;
            String format = e.path("format").asText();
            formats.add(format);
            Redactor.Result r = R.redact(e.path("text").asText());
            if (leaks(r.text(), e.path("secret").asText())) {
                problems.add("missed " + format + " (" + e.path("context").asText() + "): " + r.text());
            } else {
                caught++;
            }
        }
        int nearMisses = 0;
        int altered = 0;
        for (JsonNode e : corpus.path("near_misses")) {
            nearMisses++;
            String text = e.path("text").asText();
            String redacted = R.redact(text).text();
            if (!redacted.equals(text)) {
                altered++;
                problems.add("altered near miss " + e.path("what").asText() + ": " + redacted);
            }
        }
        System.out.printf("corpus: %d credentials in %d formats, caught %d (%.1f %%); near misses %d, altered %d (%.1f %%)%n",
                credentials, formats.size(), caught, 100.0 * caught / credentials, nearMisses, altered,
                100.0 * altered / nearMisses);
        problems.forEach(p -> System.out.println("  " + p));

        assertThat(formats).hasSizeGreaterThanOrEqualTo(60);
        assertThat((double) caught / credentials).as("share caught; %s", problems).isGreaterThanOrEqualTo(0.99);
        assertThat((double) altered / nearMisses).as("share of near misses altered; %s", problems).isLessThanOrEqualTo(0.03);
    }

    @Test
    void theNamedRuleIsTheOneThatCatchesIt() {
        Set<String> ids = new HashSet<>(R.ruleIds());
        List<String> wrong = new ArrayList<>();
        for (JsonNode e : corpus.path("credentials")) {
            if (e.path("rule").isNull()) {
                continue;
            }
            String rule = e.path("rule").asText();
            assertThat(ids).as("rule named by %s", e.path("format").asText()).contains(rule);
            Map<String, Integer> counts = R.redact(e.path("text").asText()).counts();
            if (!counts.containsKey(rule)) {
                wrong.add(e.path("format").asText() + " (" + e.path("context").asText() + "): expected " + rule + ", got " + counts);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void judgementCallsAreAsDecided() {
        List<String> wrong = new ArrayList<>();
        for (JsonNode e : corpus.path("judgement")) {
            String expected = e.path("expected").asText();
            assertThat(expected).isIn("redacted", "kept");
            String redacted = R.redact(e.path("text").asText()).text();
            boolean isRedacted = !leaks(redacted, e.path("secret").asText());
            if (isRedacted != expected.equals("redacted")) {
                wrong.add(e.path("what").asText() + ": expected " + expected + " (" + e.path("reason").asText() + "), got " + redacted);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theCorpusIsBroadEnoughToMeanSomething() {
        Map<String, Set<String>> contexts = new HashMap<>();
        for (JsonNode e : corpus.path("credentials")) {
            contexts.computeIfAbsent(e.path("format").asText(), f -> new TreeSet<>()).add(e.path("context").asText());
            assertThat(e.path("text").asText()).as(e.path("format").asText()).contains(
                    e.path("context").asText().equals("tool_input_json") ? jsonEscaped(e.path("secret").asText()) : e.path("secret").asText());
        }
        List<String> single = contexts.entrySet().stream().filter(c -> c.getValue().size() < 2).map(Map.Entry::getKey).toList();
        assertThat(single).as("formats seen in one context only").isEmpty();
        assertThat(corpus.path("credentials").size()).isGreaterThanOrEqualTo(150);
        assertThat(corpus.path("near_misses").size()).isGreaterThanOrEqualTo(120);
        Set<String> used = new TreeSet<>();
        corpus.path("credentials").forEach(e -> used.add(e.path("context").asText()));
        assertThat(used).containsExactlyInAnyOrder("prompt", "command", "tool_output", "assistant", "tool_input_json");
    }

    /** How a secret appears inside a JSON string: quotes and backslashes escaped. */
    static String jsonEscaped(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
