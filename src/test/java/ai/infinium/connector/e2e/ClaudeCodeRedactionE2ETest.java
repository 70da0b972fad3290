package ai.infinium.connector.e2e;

import static ai.infinium.connector.e2e.FakeReply.reply;
import static ai.infinium.connector.e2e.FakeReply.text;
import static ai.infinium.connector.e2e.FakeReply.toolUse;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.e2e.ClaudeCodeRun.Result;
import ai.infinium.connector.testing.ReceivedTrace;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code, set up by `infinium init` (server mode, the default), in a project with a
 * .env and a private key: it cats the .env, curls with a bearer token, reads the key and answers
 * with a provider key, after a prompt that holds another. The session really carried every secret
 * (the connector's raw spool has them); the trace the API receives has none.
 */
@Tag("e2e")
class ClaudeCodeRedactionE2ETest {
    static final String AWS_ID = "AKIAZ7QXRN4JWK2LMP5T";
    static final String DB_PASSWORD = "Pq7-wX2zK9vR";
    static final String STRIPE = "sk_live_51Hq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy";
    static final String GITHUB = "ghp_R7mKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQi";
    static final String BEARER = "Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiKq2Lw9Xz4";
    static final String KEY_LINE = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
    static final String ANTHROPIC = "sk-ant-api03-Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPlMkNjBhVgCfXdZs7Ta1Ub2Yc3Re4Wq5Ep6Lo7Ik8Uj9Yh0Tg1Rf2Ed3Ws4Qa5-xyzAA";
    static final List<String> SECRETS = List.of(AWS_ID, DB_PASSWORD, STRIPE, GITHUB, BEARER, KEY_LINE, ANTHROPIC);

    @TempDir Path work;
    TracedClaudeProject project;

    @BeforeEach
    void setUp() throws Exception {
        project = TracedClaudeProject.create(work);
    }

    @AfterEach
    void tearDown() {
        project.close();
    }

    @Test
    void noSecretTheSessionCarriedReachesTheApi() throws Exception {
        project.init("server");
        Path dir = project.claude.projectDir();
        Files.writeString(dir.resolve(".env"), "AWS_ACCESS_KEY_ID=" + AWS_ID + "\nDATABASE_URL=postgres://app:"
                + DB_PASSWORD + "@db.internal:5432/app\nGITHUB_TOKEN=" + GITHUB + "\nLOG_LEVEL=debug\n");
        Path key = dir.resolve("deploy_key");
        Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_LINE
                + "\nQyNTUxOQAAACDKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPlMkNjBhVgAAAJgAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        project.anthropic.script("E2E-REDACT",
                reply(toolUse("Bash", Map.of("command", "cat .env", "description", "Show the environment file"))),
                reply(toolUse("Bash", Map.of("command", "curl -s -m 1 -H 'Authorization: Bearer " + BEARER
                        + "' http://127.0.0.1:9/v1/me || echo unreachable", "description", "Call the API"))),
                reply(toolUse("Read", Map.of("file_path", key.toString()))),
                reply(text("All set: Stripe takes " + STRIPE + " and the deploy key is read.")));

        Result r = project.claude.prompt("E2E-REDACT check the env with ANTHROPIC_API_KEY=" + ANTHROPIC + " set");
        assertThat(r.exitCode()).as("%s", r).isZero();
        ReceivedTrace t = project.infinium.awaitTraces(1, Duration.ofSeconds(90)).get(0);
        project.connector.awaitDeliveriesDone(Duration.ofSeconds(60));

        String spooled = project.spools().values().toString();
        String sent = t.body().toString();
        for (String secret : SECRETS) {
            assertThat(spooled).as("the session really carried %s", secret).contains(secret);
            assertThat(sent).as("the trace holds %s", secret).doesNotContain(secret);
        }
        JsonNode steps = t.body().path("steps");
        assertThat(steps.toString()).contains("LOG_LEVEL=debug", "[REDACTED:aws-access-key-id]",
                "[REDACTED:private-key]", "[REDACTED:authorization-header]", "[REDACTED:url-credentials]");
        assertThat(t.body().at("/environment/custom_tags/redactions").asInt()).isGreaterThanOrEqualTo(SECRETS.size());
        assertThat(project.infinium.traces()).hasSize(1);
    }
}
