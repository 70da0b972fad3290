package ai.infinium.connector.redact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.infinium.connector.trace.Previews;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/** Redaction before the cut, only as far as the cut needs, each text counted once. */
class RedactionPassTest {
    static final Redactor R = Redactor.defaults();
    static final String TOKEN = "ghp_R7mKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQi";

    static boolean holdsAnySlice(String text, String secret, int slice) {
        for (int i = 0; i + slice <= secret.length(); i++) {
            if (text.contains(secret.substring(i, i + slice))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aSecretCutByThePreviewLimitIsRedactedWhole() {
        String output = "x".repeat(290) + " " + TOKEN + " and more output";
        // The control: cutting first keeps half a token that no rule recognises any more.
        String cutFirst = R.redact(Previews.cut(output, 300)).text();
        assertThat(holdsAnySlice(cutFirst, TOKEN, 8)).as("cut, then redacted").isTrue();

        String kept = Previews.cut(R.pass().cleanStart(output, 300), 300);
        assertThat(holdsAnySlice(kept, TOKEN, 5)).as(kept).isFalse();
        assertThat(kept).endsWith(" [REDACTE…");
    }

    @Test
    void aLongSecretShrunkAwayPullsNoUnredactedTextIntoThePreview() {
        StringBuilder key = new StringBuilder("-----BEGIN RSA PRIVATE KEY-----\n");
        for (int i = 0; i < 90; i++) {
            key.append("MIIEpAIBAAKCAQEA7Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPlMkNjBhVgCfXd\n");
        }
        key.append("-----END RSA PRIVATE KEY-----\n");
        String output = key + "y".repeat(100) + " " + TOKEN + "\n";
        assertThat(key.length()).as("longer than the window").isGreaterThan(300 + RedactionPass.MARGIN);

        String kept = Previews.cut(R.pass().cleanStart(output, 300), 300);
        assertThat(kept).startsWith("[REDACTED:private-key]").contains("[REDACTED:github-token]");
        assertThat(holdsAnySlice(kept, TOKEN, 5)).isFalse();
    }

    @Test
    void aPrivateKeyLongerThanTheWindowIsRedactedToTheWindowsEnd() {
        String output = "cat id_rsa\n-----BEGIN OPENSSH PRIVATE KEY-----\n"
                + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn\n".repeat(200);
        String kept = Previews.cut(R.pass().cleanStart(output, 300), 300);
        assertThat(kept).startsWith("cat id_rsa\n[REDACTED:private-key]").doesNotContain("b3BlbnNzaC1rZXkt");
    }

    @Test
    void aTextMetAgainIsCountedOnce() {
        RedactionPass pass = R.pass();
        String prompt = "deploy with STRIPE=sk_live_51Hq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy please";
        String whole = pass.clean(prompt);
        assertThat(pass.cleanStart(prompt, 30)).isEqualTo(whole);
        assertThat(pass.clean(whole)).isEqualTo(whole);
        assertThat(pass.counts()).isEqualTo(Map.of("stripe-key", 1));
    }

    @Test
    void offLeavesEveryTextAsItIs() {
        String text = "export AWS_ACCESS_KEY_ID=AKIAZ7QXRN4JWK2LMP5T";
        RedactionPass pass = Redactor.none().pass();
        assertThat(pass.clean(text)).isSameAs(text);
        assertThat(pass.total()).isZero();
        assertThat(Redactor.none().active()).isFalse();
    }

    @Test
    void projectRulesAddCustomReplacementsAndAllowPatternsKeepWhatTheyMatch() {
        Redactor r = R.with(List.of("ACME-[0-9]{6}", "license=(?<secret>[a-z]{12})"), List.of("^sk_test_"));
        Redactor.Result out = r.redact("ticket ACME-123456, license=abcdefghijkl, key sk_test_51Hq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy");
        assertThat(out.text()).isEqualTo(
                "ticket [REDACTED:custom], license=[REDACTED:custom], key sk_test_51Hq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy");
        assertThat(out.counts()).isEqualTo(Map.of("custom", 2));
    }

    @Test
    void aProjectRuleThatMatchesNothingAtAllChangesNothing() {
        assertThat(R.with(List.of("x*"), List.of()).redact("abc").text()).isEqualTo("abc");
    }

    @Test
    void aBrokenProjectRegexIsNamed() {
        assertThatThrownBy(() -> R.with(List.of("([a-z]"), List.of())).isInstanceOf(PatternSyntaxException.class)
                .hasMessageContaining("([a-z]");
    }
}
