package ai.infinium.connector.redact;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Redaction of the texts of one trace. A prompt shows up as the trace's name, description,
 * summary and first step: each distinct text is redacted once and its secrets counted once. A
 * text that will be cut to a preview is redacted only as far as the preview needs (plus room for
 * a secret that straddles the cut), so megabytes of tool output cost what the trace keeps of
 * them.
 */
public final class RedactionPass {
    /** Text redacted beyond the part kept, so a secret cut by the preview limit is still whole. */
    static final int MARGIN = 2048;
    /** The longest secret (short of a private key block) a window must hold whole. */
    static final int LONGEST_SECRET = 1024;

    private final Redactor redactor;
    private final Map<String, Cleaned> seen = new HashMap<>();

    /** A text's redaction: the redacted text, how much of its start is reliable, what it replaced. */
    private record Cleaned(String text, int reliable, Map<String, Integer> counts) {}

    RedactionPass(Redactor redactor) {
        this.redactor = redactor;
    }

    /** The whole text, redacted. */
    public String clean(String text) {
        return text == null ? null : cleanStart(text, text.length());
    }

    /**
     * The text redacted at least through its first {@code keep} characters of result: the
     * caller cuts it there. What lies beyond may still hold secrets.
     */
    public String cleanStart(String text, int keep) {
        if (text == null || text.isEmpty() || !redactor.active()) {
            return text;
        }
        Cleaned known = seen.get(text);
        if (known != null && known.reliable() >= Math.min(keep, known.text().length())) {
            return known.text();
        }
        Cleaned c = redactWindow(text, keep);
        seen.put(text, c);
        if (c.reliable() == Integer.MAX_VALUE && !c.text().equals(text)) {
            // The redacted text, met again (the final sweep of the trace), is already clean.
            seen.putIfAbsent(c.text(), new Cleaned(c.text(), Integer.MAX_VALUE, Map.of()));
        }
        return c.text();
    }

    private Cleaned redactWindow(String text, int keep) {
        int window = (int) Math.min((long) keep + MARGIN, text.length());
        if (window < text.length()) {
            Redactor.Result r = redactor.redact(text.substring(0, window));
            // Replacements shorten the text and pull later characters into the kept part: those
            // must still lie well inside the window, or a secret cut by the window could show.
            int shrunk = Math.max(0, window - r.text().length());
            if ((long) keep + shrunk + LONGEST_SECRET <= window) {
                return new Cleaned(r.text(), keep, r.counts());
            }
        }
        Redactor.Result r = redactor.redact(text);
        return new Cleaned(r.text(), Integer.MAX_VALUE, r.counts());
    }

    /** Replacements per rule id over the distinct texts of this pass. */
    public Map<String, Integer> counts() {
        Map<String, Integer> total = new TreeMap<>();
        for (Cleaned c : seen.values()) {
            c.counts().forEach((k, v) -> total.merge(k, v, Integer::sum));
        }
        return total;
    }

    public int total() {
        return counts().values().stream().mapToInt(Integer::intValue).sum();
    }
}
