package ai.infinium.connector.redact;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One credential format: its id (what a replacement says), the pattern (its named group
 * {@code secret} marks the part replaced), keywords (lower case) one of which must occur for the
 * pattern to be tried at all ({@link KeywordIndex}), and an entropy floor for formats the pattern alone cannot tell from
 * ordinary words.
 */
record RedactionRule(String id, Pattern pattern, List<String> keywords, double minEntropy) {

    /** Shannon entropy of {@code s}, in bits per character. */
    static double entropy(String s) {
        if (s.isEmpty()) {
            return 0;
        }
        java.util.Map<Character, Integer> counts = new java.util.HashMap<>();
        for (int i = 0; i < s.length(); i++) {
            counts.merge(s.charAt(i), 1, Integer::sum);
        }
        double h = 0;
        for (int c : counts.values()) {
            double p = (double) c / s.length();
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
