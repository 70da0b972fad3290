package ai.infinium.connector.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces credentials in text with {@code [REDACTED:<rule id>]}, by the rules in
 * {@code rules.json} (each cites the public rule set its family follows; each names the part it
 * replaces as the group {@code secret}, so {@code password=} stays and only its value goes), plus
 * a project's own rules and allow patterns. Immutable: one per flush, shared by its traces.
 */
public final class Redactor {
    private static final String RULES = "/ai/infinium/connector/redact/rules.json";
    /** The id a project's own rules ({@code redact.extra}) replace with. */
    public static final String CUSTOM = "custom";
    private final List<RedactionRule> rules;
    private final List<Pattern> allow;
    private final KeywordIndex keywords;

    /** What redaction made of a text: the text, and how many replacements each rule made. */
    public record Result(String text, Map<String, Integer> counts) {
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    Redactor(List<RedactionRule> rules) {
        this(rules, List.of());
    }

    private Redactor(List<RedactionRule> rules, List<Pattern> allow) {
        this.rules = List.copyOf(rules);
        this.allow = List.copyOf(allow);
        this.keywords = new KeywordIndex(this.rules.stream().map(RedactionRule::keywords).toList());
    }

    /** Redaction switched off: every text stays as it is. */
    public static Redactor none() {
        return new Redactor(List.of());
    }

    /**
     * These rules plus a project's: {@code extra} regexes replace what they match (their group
     * {@code secret} if they name one, else the whole match) with {@code [REDACTED:custom]}; a
     * found secret that holds a match of an {@code allow} regex stays.
     *
     * @throws java.util.regex.PatternSyntaxException naming the regex that does not compile
     */
    public Redactor with(List<String> extra, List<String> allowed) {
        List<RedactionRule> all = new ArrayList<>(rules);
        for (String regex : extra) {
            String grouped = regex.contains("(?<secret>") ? regex : "(?<secret>" + regex + ")";
            Pattern.compile(regex); // a syntax error shows the user's regex, not our wrapping
            all.add(new RedactionRule(CUSTOM, Pattern.compile(grouped), List.of(), 0));
        }
        List<Pattern> keep = new ArrayList<>(allow);
        for (String regex : allowed) {
            keep.add(Pattern.compile(regex));
        }
        return new Redactor(all, keep);
    }

    /** Whether this redactor changes anything at all ({@link #none()} does not). */
    public boolean active() {
        return !rules.isEmpty();
    }

    /** A fresh pass for one trace: remembers each text it cleaned and counts what it replaced. */
    public RedactionPass pass() {
        return new RedactionPass(this);
    }

    /** The built-in rules. */
    public static Redactor defaults() {
        try (InputStream in = Redactor.class.getResourceAsStream(RULES)) {
            if (in == null) {
                throw new IllegalStateException(RULES + " is missing from the jar");
            }
            List<RedactionRule> rules = new ArrayList<>();
            for (JsonNode r : new ObjectMapper().readTree(in).path("rules")) {
                List<String> keywords = new ArrayList<>();
                r.path("keywords").forEach(k -> keywords.add(RedactionRule.lower(k.asText())));
                String regex = r.path("regex").asText();
                if (!regex.contains("(?<secret>")) {
                    throw new IllegalStateException("redaction rule " + r.path("id").asText() + " names no (?<secret>…) group");
                }
                rules.add(new RedactionRule(r.path("id").asText(), Pattern.compile(regex), keywords,
                        r.path("min_entropy").asDouble(0)));
            }
            return new Redactor(rules);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the redaction rules " + RULES, e);
        }
    }

    public List<String> ruleIds() {
        return rules.stream().map(RedactionRule::id).toList();
    }

    public Result redact(String text) {
        Map<String, Integer> counts = new TreeMap<>();
        if (text == null || text.isEmpty()) {
            return new Result(text, counts);
        }
        String current = text;
        // Replacing a secret removes text, so what the original holds bounds what any later state can.
        java.util.BitSet candidates = keywords.candidates(text);
        for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
            RedactionRule rule = rules.get(i);
            Matcher m = rule.pattern().matcher(current);
            StringBuilder out = null;
            int last = 0;
            while (m.find()) {
                int start = m.start("secret");
                int end = m.end("secret");
                if (start < 0 || end == start) {
                    continue;
                }
                String secret = current.substring(start, end);
                if (secret.startsWith("[REDACTED:") || RedactionRule.entropy(secret) < rule.minEntropy()
                        || allowed(secret)) {
                    continue; // already replaced by an earlier rule, too plain to be a credential, or allowed
                }
                if (out == null) {
                    out = new StringBuilder(current.length());
                }
                out.append(current, last, start).append("[REDACTED:").append(rule.id()).append(']');
                last = end;
                counts.merge(rule.id(), 1, Integer::sum);
            }
            if (out != null) {
                current = out.append(current, last, current.length()).toString();
            }
        }
        return new Result(current, counts);
    }

    private boolean allowed(String secret) {
        for (Pattern p : allow) {
            if (p.matcher(secret).find()) {
                return true;
            }
        }
        return false;
    }
}
