package ai.infinium.connector.redact;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which rules' keywords occur in a text, found in one pass over it whatever the number of rules
 * (an Aho-Corasick automaton over the lower-cased keywords): a hundred rules cost one scan of
 * the text, not a hundred. Keywords are ASCII; a rule with none, or with a keyword that is not,
 * is always tried.
 */
final class KeywordIndex {
    private static final int ASCII = 128;
    private final int[][] next;
    private final BitSet[] found;
    private final BitSet always = new BitSet();

    KeywordIndex(List<List<String>> keywordsByRule) {
        List<int[]> trie = new ArrayList<>();
        List<BitSet> out = new ArrayList<>();
        trie.add(new int[ASCII]);
        out.add(new BitSet());
        for (int rule = 0; rule < keywordsByRule.size(); rule++) {
            List<String> keywords = keywordsByRule.get(rule);
            if (keywords.isEmpty() || keywords.stream().anyMatch(k -> k.isEmpty() || !k.chars().allMatch(c -> c < ASCII))) {
                always.set(rule);
                continue;
            }
            for (String k : keywords) {
                int node = 0;
                for (int i = 0; i < k.length(); i++) {
                    int c = lower(k.charAt(i));
                    if (trie.get(node)[c] == 0) {
                        trie.get(node)[c] = trie.size();
                        trie.add(new int[ASCII]);
                        out.add(new BitSet());
                    }
                    node = trie.get(node)[c];
                }
                out.get(node).set(rule);
            }
        }
        // Breadth first: each node's missing moves become its failure node's, and it reports what
        // its failure node reports, so a scan never backs up.
        int[] fail = new int[trie.size()];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int c = 0; c < ASCII; c++) {
            int child = trie.get(0)[c];
            if (child != 0) {
                queue.add(child);
            }
        }
        while (!queue.isEmpty()) {
            int node = queue.poll();
            out.get(node).or(out.get(fail[node]));
            for (int c = 0; c < ASCII; c++) {
                int child = trie.get(node)[c];
                if (child != 0) {
                    fail[child] = trie.get(fail[node])[c];
                    queue.add(child);
                } else {
                    trie.get(node)[c] = trie.get(fail[node])[c];
                }
            }
        }
        this.next = trie.toArray(new int[0][]);
        this.found = new BitSet[out.size()];
        for (int i = 0; i < found.length; i++) {
            found[i] = out.get(i).isEmpty() ? null : out.get(i);
        }
    }

    /** The rules worth trying on {@code text}: those with a keyword in it, and those always tried. */
    BitSet candidates(CharSequence text) {
        BitSet rules = (BitSet) always.clone();
        int state = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            state = c < ASCII ? next[state][lower(c)] : 0;
            if (found[state] != null) {
                rules.or(found[state]);
            }
        }
        return rules;
    }

    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }
}
