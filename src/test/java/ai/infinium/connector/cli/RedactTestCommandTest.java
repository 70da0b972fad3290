package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code redact-test}: what a trace from this project would carry; and what {@code status} says of redaction. */
class RedactTestCommandTest {
    static final String TOKEN = "ghp_R7mKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQi";
    static final String LINE = "export GITHUB_TOKEN=" + TOKEN + "\n";
    @TempDir Path tmp;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        env = new TestEnv(tmp);
        project = Files.createDirectories(tmp.resolve("project"));
    }

    void configure(String redact) throws Exception {
        Files.createDirectories(project.resolve(".infinium"));
        Files.writeString(project.resolve(".infinium/config.json"),
                "{\"agent_id\": \"agent-1\", \"redact\": " + redact + "}\n");
    }

    @Test
    void standardInputComesOutRedactedWithTheCountsOnStandardError() {
        TestEnv.Result r = env.runWithInput(project, LINE, "redact-test");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("export GITHUB_TOKEN=[REDACTED:github-token]\n");
        assertThat(r.err()).contains("1 replacement", "built-in rules").containsPattern("github-token +1");
        assertThat(env.runWithInput(project, LINE, "redact-test", "-").out()).isEqualTo(r.out());
    }

    @Test
    void aFileIsReadFromTheCurrentDirectory() throws Exception {
        Files.writeString(project.resolve(".env"), "DB_PASSWORD=Wq8Jr2mXb7Kp3Lz9\nLOG_LEVEL=debug\n");
        TestEnv.Result r = env.run(project, "redact-test", ".env");
        assertThat(r.out()).isEqualTo("DB_PASSWORD=[REDACTED:assignment]\nLOG_LEVEL=debug\n");
    }

    @Test
    void jsonSaysWhatWasReplaced() throws Exception {
        TestEnv.Result r = env.runWithInput(project, LINE, "redact-test", "--json");
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertThat(n.path("text").asText()).isEqualTo("export GITHUB_TOKEN=[REDACTED:github-token]\n");
        assertThat(n.path("counts").path("github-token").asInt()).isEqualTo(1);
        assertThat(n.path("redaction").asText()).isEqualTo("on");
    }

    @Test
    void offShowsTheTextUnchangedAndSaysSo() {
        TestEnv.Result r = env.with("CONNECTOR_REDACT", "off").runWithInput(project, LINE, "redact-test");
        assertThat(r.out()).isEqualTo(LINE);
        assertThat(r.err()).contains("redaction is OFF here (CONNECTOR_REDACT=off)");
    }

    @Test
    void theProjectsRulesApply() throws Exception {
        configure("{\"extra\": [\"ACME-[0-9]{6}\"], \"allow\": [\"^ghp_R7\"]}");
        TestEnv.Result r = env.runWithInput(project.resolve("."), "ticket ACME-123456\n" + LINE, "redact-test");
        assertThat(r.out()).isEqualTo("ticket [REDACTED:custom]\n" + LINE);
        assertThat(r.err()).contains("1 of the project's", "1 allow pattern");
    }

    @Test
    void whatCannotBeReadIsAnErrorThatSaysWhy() throws Exception {
        TestEnv.Result missing = env.run(project, "redact-test", "nope.txt");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot read nope.txt");

        assertThat(env.run(project, "redact-test", "a", "b").code()).isEqualTo(2);

        configure("{\"extra\": [\"([a-z]\"]}");
        TestEnv.Result broken = env.runWithInput(project, LINE, "redact-test");
        assertThat(broken.code()).isEqualTo(1);
        assertThat(broken.err()).contains("redact.extra[0] is not a valid regular expression");
        assertThat(broken.out()).isEmpty();
    }

    @Test
    void statusWarnsWhenRedactionIsOff() throws Exception {
        configure("{\"enabled\": false}");
        TestEnv.Result off = env.run(project, "status");
        assertThat(off.out()).contains("Redaction:    OFF", "sets \"redact\": {\"enabled\": false}");
        JsonNode json = new ObjectMapper().readTree(env.run(project, "status", "--json").out());
        assertThat(json.path("redaction").path("on").asBoolean()).isFalse();

        TestEnv.Result on = env.with("CONNECTOR_REDACT", "yes please").run(project, "status");
        assertThat(on.out()).contains("Redaction:    OFF", "CONNECTOR_REDACT=yes please is not understood");
        configure("{\"extra\": [\"ACME-[0-9]{6}\"]}");
        assertThat(env.with("CONNECTOR_REDACT", null).run(project, "status").out())
                .containsPattern("Redaction: +on \\(\\d+ built-in rules, 1 of the project's\\)");
    }
}
