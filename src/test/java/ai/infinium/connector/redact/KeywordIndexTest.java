package ai.infinium.connector.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one-pass keyword check finds exactly the rules a keyword-by-keyword search of the lower-cased text finds. */
class KeywordIndexTest {
    static final List<List<String>> KEYWORDS = List.of(
            List.of("akia", "asia"), List.of("sk_live_", "sk_test_"), List.of("ghp_", "gho_"), List.of(),
            List.of("password", "passwd"), List.of("pass"), List.of("ssw"), List.of("é-key"), List.of("token"));

    static BitSet naive(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        BitSet b = new BitSet();
        for (int i = 0; i < KEYWORDS.size(); i++) {
            List<String> ks = KEYWORDS.get(i);
            if (ks.isEmpty() || ks.contains("é-key") || ks.stream().anyMatch(lower::contains)) {
                b.set(i);
            }
        }
        return b;
    }

    @Test
    void findsWhatASearchPerKeywordFinds() {
        KeywordIndex index = new KeywordIndex(KEYWORDS);
        String alphabet = "akisAKIS_lvetgphoPASSWORDdnwrT é";
        Random rnd = new Random(11);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int i = 0; i < len; i++) {
                sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            assertThat(index.candidates(text)).as(text).isEqualTo(naive(text));
        }
    }

    @Test
    void overlappingAndNestedKeywordsAreAllFound() {
        KeywordIndex index = new KeywordIndex(KEYWORDS);
        BitSet b = index.candidates("DB_PASSWORD=x and SK_LIVE_abc");
        assertThat(b.get(4)).isTrue(); // password
        assertThat(b.get(5)).isTrue(); // pass, inside password
        assertThat(b.get(6)).isTrue(); // ssw, inside password
        assertThat(b.get(1)).isTrue();
        assertThat(b.get(0)).isFalse();
        assertThat(b.get(3)).as("a rule without keywords is always tried").isTrue();
        assertThat(b.get(7)).as("a non-ASCII keyword makes its rule always tried").isTrue();
    }
}
