package ai.infinium.connector.flush;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.ClaudeSessionScript;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session whose tool outputs hold what agents meet every day (an .env dump, a private key, a
 * curl with a bearer token, provider keys in a prompt and in the answer), flushed through the
 * real hook: no secret is in the queued outbox file nor in what the API receives, and the trace
 * says how many were replaced.
 */
class RedactionFlushTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String AWS_ID = "AKIAZ7QXRN4JWK2LMP5T";
    static final String AWS_SECRET = "Wq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy0Ae+Ru/QiOw";
    static final String DB_PASSWORD = "Pq7-wX2zK9vR";
    static final String STRIPE = "sk_live_51Hq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy";
    static final String OPENAI = "sk-proj-Kq2Lw9Xz4Tb8Nc3Vd6HsT3BlbkFJ1Jf5Gy0AeRuQiOwPlMk";
    static final String BEARER = "Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiKq2Lw9Xz4";
    static final String KEY_BODY = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
    static final String ANTHROPIC = "sk-ant-api03-Kq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPlMkNjBhVgCfXdZs7Ta1Ub2Yc3Re4Wq5Ep6Lo7Ik8Uj9Yh0Tg1Rf2Ed3Ws4Qa5-xyzAA";
    static final String GITHUB = "ghp_R7mKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQi";
    static final List<String> SECRETS = List.of(AWS_ID, AWS_SECRET, DB_PASSWORD, STRIPE, OPENAI, BEARER, KEY_BODY,
            ANTHROPIC, GITHUB);

    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    Path project;
    ClaudeSessionScript s;

    @BeforeEach
    void setUp() throws IOException {
        api = FakeInfiniumApi.start("agent-redact", "secret-redact-1");
        env = new TestEnv(tmp).sendingTo(api);
        project = Files.createDirectories(tmp.resolve("project"));
        s = new ClaudeSessionScript(env, tmp.resolve("claude"), "sess-redact", project);
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    /** One turn: a prompt with a key, `cat .env`, `cat id_ed25519`, a curl with a bearer token, an answer with a token. */
    void leakyTurn() throws IOException {
        String prompt = "use ANTHROPIC_API_KEY=" + ANTHROPIC + " to call the API";
        s.userLine(s.transcript, "p1", prompt);
        s.hook("p1", "UserPromptSubmit", "prompt", prompt);
        tool("t1", "cat .env", "AWS_ACCESS_KEY_ID=" + AWS_ID + "\nAWS_SECRET_ACCESS_KEY=" + AWS_SECRET
                + "\nDATABASE_URL=postgres://app:" + DB_PASSWORD + "@db.internal:5432/app\nSTRIPE_KEY=" + STRIPE
                + "\nOPENAI_API_KEY=" + OPENAI + "\nLOG_LEVEL=debug\n");
        tool("t2", "cat ~/.ssh/id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY
                + "\nQyNTUxOQAAACDKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiOwPlMkNjBhVgAAAJgAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        tool("t3", "curl -sH 'Authorization: Bearer " + BEARER + "' https://api.example.org/v1/me", "{\"id\": 42}");
        s.assistant(s.transcript, "msg_1", 100, 0, 10, "Done. Your token " + GITHUB + " works.");
        s.hook("p1", "Stop", "last_assistant_message", "Done. Your token " + GITHUB + " works.");
    }

    void tool(String id, String command, String stdout) throws IOException {
        ObjectNode pre = JSON.createObjectNode().put("tool_name", "Bash").put("tool_use_id", id);
        pre.putObject("tool_input").put("command", command).put("description", "run " + command);
        s.hook("p1", "PreToolUse", pre);
        ObjectNode post = pre.deepCopy();
        post.putObject("tool_response").put("stdout", stdout).put("stderr", "").put("interrupted", false);
        s.hook("p1", "PostToolUse", post);
    }

    List<String> outboxFiles() throws IOException {
        Path dir = env.dirs().state().resolve("outbox");
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                texts.add(Files.readString(f));
            }
        }
        return texts;
    }

    static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertThat(text).as("%s holds %s", where, secret).doesNotContain(secret);
        }
    }

    void configure(String redact) throws IOException {
        Files.createDirectories(project.resolve(".infinium"));
        Files.writeString(project.resolve(".infinium/config.json"),
                "{\"agent_id\": \"agent-redact\", \"granularity\": \"turn\", \"redact\": " + redact + "}\n");
    }

    @Test
    void noSecretReachesTheOutboxOrTheApiAndTheTraceCountsThem() throws IOException {
        api.setDown(true);
        leakyTurn();
        List<String> queued = outboxFiles();
        assertThat(queued).hasSize(1);
        assertNoSecret("the outbox file", queued.get(0));
        assertThat(queued.get(0)).contains("[REDACTED:private-key]", "[REDACTED:authorization-header]",
                "[REDACTED:url-credentials]", "[REDACTED:aws-access-key-id]");

        api.setDown(false);
        assertThat(env.run(project, "retry").code()).isZero();
        ReceivedTrace t = api.awaitTraces(1, Duration.ofSeconds(10)).get(0);
        assertNoSecret("the received trace", t.body().toString());
        JsonNode tags = t.body().path("environment").path("custom_tags");
        // Each distinct text counts once, however many fields show it (the prompt is the name,
        // description, summary and first step): 9 secrets, the bearer token in two texts (the
        // command and the call's own description of itself).
        assertThat(tags.path("redactions").asInt()).as(tags.toString()).isEqualTo(10);
        assertThat(tags.path("redacted_rules").asText()).contains("private-key: 1", "stripe-key: 1", "github-token: 1");
        assertThat(t.body().path("name").asText()).startsWith("use ANTHROPIC_API_KEY=[REDAC");
        assertThat(t.body().path("steps").toString()).contains("LOG_LEVEL=debug", "https://api.example.org/v1/me");
    }

    @Test
    void offSendsTheTextUnchangedAndSaysSo() throws IOException {
        env.with("CONNECTOR_REDACT", "off");
        leakyTurn();
        ReceivedTrace t = api.awaitTraces(1, Duration.ofSeconds(10)).get(0);
        assertThat(t.body().toString()).contains(AWS_ID, BEARER, GITHUB).doesNotContain("[REDACTED:");
        assertThat(t.body().path("environment").path("custom_tags").path("redaction").asText()).isEqualTo("off");
    }

    @Test
    void aProjectMaySwitchItOffButTheUsersOnWins() throws IOException {
        configure("{\"enabled\": false}");
        env.with("CONNECTOR_REDACT", "on");
        leakyTurn();
        assertNoSecret("the received trace", api.awaitTraces(1, Duration.ofSeconds(10)).get(0).body().toString());

        api.reset();
        env.with("CONNECTOR_REDACT", null);
        s = new ClaudeSessionScript(env, tmp.resolve("claude"), "sess-redact-2", project);
        leakyTurn();
        assertThat(api.awaitTraces(1, Duration.ofSeconds(10)).get(0).body().toString()).contains(AWS_ID);
    }

    @Test
    void projectRulesRedactMoreAndAllowPatternsKeepWhatTheyMatch() throws IOException {
        configure("{\"extra\": [\"LOG_LEVEL=(?<secret>\\\\w+)\", \"api\\\\.example\\\\.org\"], \"allow\": [\"^AKIAZ7\"]}");
        leakyTurn();
        String body = api.awaitTraces(1, Duration.ofSeconds(10)).get(0).body().toString();
        assertThat(body).contains("LOG_LEVEL=[REDACTED:custom]", "https://[REDACTED:custom]/v1/me", AWS_ID)
                .doesNotContain(STRIPE, BEARER);
    }

    @Test
    void aBrokenProjectRuleHoldsTheTracesUntilItIsFixedEvenPastTheTtl() throws IOException {
        configure("{\"extra\": [\"([a-z]\"]}");
        leakyTurn();
        assertThat(api.traces()).isEmpty();
        TestEnv.Result status = env.run(project, "status");
        assertThat(status.out() + status.err()).contains("redact.extra[0] is not a valid regular expression", "([a-z]");

        env.with("CONNECTOR_SESSION_TTL", "0");
        assertThat(env.run(project, "flush", "--stale").code()).isZero();
        assertThat(s.spool()).as("the spool waits for the fix").exists();

        configure("{\"extra\": [\"ACME-[0-9]{6}\"]}");
        assertThat(env.run(project, "flush", "--stale").code()).isZero();
        assertNoSecret("the received trace", api.awaitTraces(1, Duration.ofSeconds(10)).get(0).body().toString());
    }
}
