package ai.infinium.connector.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each built-in rule with a realistic credential in the text an agent sees (a command, an .env
 * dump, a config line) and a near miss that must stay as it is. The credentials are made up, in
 * the real formats; none is a documented example key.
 */
class RedactorTest {
    static final Redactor R = Redactor.defaults();

    static Stream<Arguments> credentials() {
        return Stream.of(
                Arguments.of("aws-access-key-id", "export AWS_ACCESS_KEY_ID=AKIAZ7QXRN4JWK2LMP5T", "AKIAZ7QXRN4JWK2LMP5T"),
                Arguments.of("aws-secret-access-key", "aws_secret_access_key = Wq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy0Ae+Ru/QiOw",
                        "Wq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy0Ae+Ru/QiOw"),
                Arguments.of("github-token", "git clone https://x:ghp_R7mKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQi@github.com/o/r",
                        "ghp_R7mKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQi"),
                Arguments.of("github-fine-grained-pat", "GH_TOKEN=github_pat_11ABCDEFG0aBcDeFgHiJkL_" + "mN0pQrStUvWxYz123456789aBcDeFgHiJkLmN0pQrStUvWxYz1234567",
                        "github_pat_11ABCDEFG0aBcDeFgHiJkL_mN0pQrStUvWxYz123456789aBcDeFgHiJkLmN0pQrStUvWxYz1234567"),
                Arguments.of("gitlab-token", "curl --header \"PRIVATE-TOKEN: glpat-Xk3Lm9Qw2Rt7Yb4Nc8Vd\" https://gitlab.com/api/v4/projects",
                        "glpat-Xk3Lm9Qw2Rt7Yb4Nc8Vd"),
                Arguments.of("slack-token", "SLACK_BOT_TOKEN=xoxb-4821930561-7732950182263-Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5",
                        "xoxb-4821930561-7732950182263-Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5"),
                Arguments.of("stripe-key", "Stripe.apiKey = \"sk_live_51Hq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy\";", "sk_live_51Hq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy"),
                Arguments.of("anthropic-key", "ANTHROPIC_API_KEY=sk-ant-api03-" + "Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPlMkNjBhVgCfXdZs7Ta1Ub2Yc3Re4Wq5Ep6Lo7Ik8Uj9Yh0Tg1Rf2Ed3Ws4Qa5-xyzAA",
                        "sk-ant-api03-Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPlMkNjBhVgCfXdZs7Ta1Ub2Yc3Re4Wq5Ep6Lo7Ik8Uj9Yh0Tg1Rf2Ed3Ws4Qa5-xyzAA"),
                Arguments.of("openai-key", "OPENAI_API_KEY=sk-proj-Kq2Lw9Xz4Tb8Nc3Vd6HsT3BlbkFJ1Jf5Gy0AeRuQiOwPlMk",
                        "sk-proj-Kq2Lw9Xz4Tb8Nc3Vd6HsT3BlbkFJ1Jf5Gy0AeRuQiOwPlMk"),
                Arguments.of("google-api-key", "const key = 'AIzaSyD8Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRu';", "AIzaSyD8Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRu"),
                Arguments.of("npm-token", "//registry.npmjs.org/:_authToken=npm_Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPl",
                        "npm_Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPl"),
                Arguments.of("jwt", "session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPlMk",
                        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIiwiaWF0IjoxNzAwMDAwMDAwfQ.Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPlMk"),
                Arguments.of("private-key", "$ cat ~/.ssh/id_ed25519\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU\nKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5\n-----END OPENSSH PRIVATE KEY-----\n",
                        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU"),
                Arguments.of("authorization-header", "curl -H 'Authorization: Basic dXNlcjpzM2NyM3QtcGFzcw==' https://api.example.org",
                        "dXNlcjpzM2NyM3QtcGFzcw=="),
                Arguments.of("bearer-token", "curl -H \"X-Auth: Bearer Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRu\" https://api.example.org",
                        "Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRu"),
                Arguments.of("url-credentials", "DATABASE_URL=postgres://app:Pq7-wX2!zK9@db.internal:5432/app", "Pq7-wX2!zK9"),
                Arguments.of("assignment", "DB_PASSWORD=Wq8Jr2mXb7Kp3Lz9", "Wq8Jr2mXb7Kp3Lz9"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void eachRuleRemovesItsCredential(String rule, String text, String secret) {
        Redactor.Result r = R.redact(text);
        assertThat(r.text()).as(rule).doesNotContain(secret).contains("[REDACTED:");
        assertThat(r.total()).isPositive();
    }

    static Stream<Arguments> nearMisses() {
        return Stream.of(
                Arguments.of("a UUID", "session 6f1c2a9e-3b7d-4e8a-9c1f-2d3e4f5a6b7c started"),
                Arguments.of("a git SHA", "HEAD is now at 3f9a1c2e7b4d8a6f0e1d2c3b4a5f6e7d8c9b0a1f fix build"),
                Arguments.of("a lockfile hash", "\"integrity\": \"sha512-Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPlMkNjBhVgCfXdZs7Ta1Ub2Yc3Re4Wq5Ep6Lo7Ik8Uj9Yh0Tg==\""),
                Arguments.of("a word after password", "Enter the password: (input hidden)"),
                Arguments.of("a plain token name", "token = getToken()"),
                Arguments.of("a placeholder", "API_KEY=your-api-key-here"),
                Arguments.of("a URL without credentials", "see https://docs.example.org:8443/path?q=1"),
                Arguments.of("prose about keys", "The AWS access key goes in ~/.aws/credentials; never commit it."),
                Arguments.of("a Java identifier", "String secretName = config.secretName();"),
                Arguments.of("a bearer word", "the bearer of this message"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nearMisses")
    void nearMissesStayAsTheyAre(String what, String text) {
        assertThat(R.redact(text).text()).as(what).isEqualTo(text);
    }

    @Test
    void theNameStaysAndTheCountsSayWhatWentWhere() {
        Redactor.Result r = R.redact("DB_PASSWORD=Wq8Jr2mXb7Kp3Lz9\nexport AWS_ACCESS_KEY_ID=AKIAZ7QXRN4JWK2LMP5T\n");
        assertThat(r.text()).isEqualTo("DB_PASSWORD=[REDACTED:assignment]\nexport AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key-id]\n");
        assertThat(r.counts()).isEqualTo(Map.of("assignment", 1, "aws-access-key-id", 1));
    }

    @Test
    void everyRuleHasACase() {
        List<String> tested = credentials().map(a -> (String) a.get()[0]).toList();
        assertThat(tested).containsExactlyInAnyOrderElementsOf(R.ruleIds());
    }
}
