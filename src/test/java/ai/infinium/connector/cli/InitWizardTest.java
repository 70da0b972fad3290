package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init wizard as a person meets it: a wrong answer is asked for again (the secret typed
 * before it is kept), the API is asked whether it takes the credentials before they are saved,
 * and a secret can come from stdin so it stays out of the shell's history.
 */
class InitWizardTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    TestEnv env;
    Path project;
    FakeInfiniumApi api;

    @BeforeEach
    void setUp() throws Exception {
        api = FakeInfiniumApi.start("agent-w", "secret-of-agent-w");
        env = new TestEnv(tmp);
        project = Files.createDirectories(tmp.resolve("project"));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    JsonNode secrets() throws Exception {
        Path f = env.dirs().config().resolve("secrets.json");
        return Files.exists(f) ? JSON.readTree(f.toFile()) : JSON.createObjectNode();
    }

    @Test
    void wrongAnswersAreAskedForAgainAndTheCredentialsAreChecked() throws Exception {
        String answers = String.join("\n", "claude-code", "ag", "agent-w", "short", "secret-of-agent-w",
                "ftp://nowhere", api.baseUrl(), "") + "\n";
        TestEnv.Result r = env.runWithInput(project, answers, "init");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("an agent id has at least 3 characters; try again")
                .contains("an agent secret has at least 8 characters; try again")
                .contains("a base URL starts with http:// or https://");
        assertThat(r.out()).contains("Checked: " + api.baseUrl() + " accepts agent agent-w");
        assertThat(api.requests()).anySatisfy(q -> assertThat(q.path()).endsWith("/agents/agent-w/health"));
        assertThat(JSON.readTree(project.resolve(".infinium/config.json").toFile()).path("base_url").asText())
                .isEqualTo(api.baseUrl());
        assertThat(secrets().path("agent-w").asText()).isEqualTo("secret-of-agent-w");
    }

    @Test
    void aRefusedSecretIsAskedForAgainInteractively() throws Exception {
        String answers = String.join("\n", "claude-code", "agent-w", "a-wrong-secret", api.baseUrl(), "agent-w",
                "secret-of-agent-w", "") + "\n";
        TestEnv.Result r = env.runWithInput(project, answers, "init");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.err()).contains("the API refused agent agent-w with this secret: HTTP 401");
        assertThat(secrets().path("agent-w").asText()).isEqualTo("secret-of-agent-w");
    }

    @Test
    void aRefusedSecretSavesNothingWithoutAPerson() throws Exception {
        TestEnv.Result r = env.run(project, "init", "--no-interactive", "--agent", "claude-code", "--agent-id", "agent-w",
                "--agent-secret", "a-wrong-secret", "--base-url", api.baseUrl());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("HTTP 401").contains("Nothing was saved").contains("--no-check");
        assertThat(project.resolve(".infinium")).doesNotExist();
        assertThat(project.resolve(".claude")).doesNotExist();
        assertThat(secrets().has("agent-w")).isFalse();
    }

    @Test
    void anUnreachableApiIsSaidAndTheSetupSaved() throws Exception {
        TestEnv.Result r = env.run(project, "init", "--no-interactive", "--agent", "claude-code", "--agent-id", "agent-w",
                "--agent-secret", "secret-of-agent-w", "--base-url", "http://127.0.0.1:9/api/v1");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Could not check the credentials (connection refused by 127.0.0.1:9")
                .contains("saving them anyway");
        assertThat(secrets().path("agent-w").asText()).isEqualTo("secret-of-agent-w");
    }

    @Test
    void theSecretCanComeFromStdin() throws Exception {
        TestEnv.Result r = env.runWithInput(project, "secret-of-agent-w\n", "init", "--no-interactive", "--agent",
                "claude-code", "--agent-id", "agent-w", "--agent-secret", "-", "--base-url", api.baseUrl());
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(secrets().path("agent-w").asText()).isEqualTo("secret-of-agent-w");

        TestEnv.Result empty = env.run(project, "update-credentials", "--agent-secret", "-");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("stdin gave no line");
        TestEnv.Result wrong = env.runWithInput(project, "another-wrong-one\n", "update-credentials", "--agent-secret", "-");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(secrets().path("agent-w").asText()).as("a refused secret replaces nothing").isEqualTo("secret-of-agent-w");
    }

    @Test
    void theSameMistakeHasTheSameExitCode() {
        for (String[] args : new String[][] {
                {"init", "--no-interactive", "--agent", "claude-code", "--agent-id", "ab", "--agent-secret", "secret-12345"},
                {"init", "--agent", "claude-code", "--agent-id", "ab", "--agent-secret", "secret-12345"},
                {"init", "--no-interactive", "--agent", "claude-code", "--agent-id", "agent-w"},
                {"init", "stray"},
                {"init", "--here", "stray"},
                {"update-credentials", "stray"},
                {"status", "stray"}, {"retry", "now"}, {"cleanup", "x"}, {"pause", "x"}, {"history", "x"},
                {"uninstall", "x"}, {"test", "x"}, {"server", "start", "x"}, {"status", "--jsn"}}) {
            assertThat(env.run(project, args).code()).as(String.join(" ", args)).isEqualTo(2);
        }
        TestEnv.Result ended = env.runWithInput(project, "claude-code\n", "init");
        assertThat(ended.code()).as("the input ended: the operation failed, not a usage error").isEqualTo(1);
        assertThat(ended.err()).contains("the input ended); nothing was saved");
    }
}
