package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.FreePort;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code doctor} in-process against a real loopback API: a healthy setup is all ok, and a deleted
 * launcher, a refused secret, an API that cannot be reached and a skewed clock each come out as
 * what they are, with the fix.
 */
class DoctorCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;
    FakeInfiniumApi api;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        api = FakeInfiniumApi.start("agent-doc", "secret-of-agent-doc");
        project = Files.createDirectories(tmp.resolve("my project"));
        Files.createDirectories(project.resolve(".claude"));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    /** A launcher like bin/infinium that runs this build's classes (the real one would look for its jar). */
    Path launcher() throws Exception {
        Path launcher = Files.createDirectories(tmp.resolve("install dir/bin")).resolve("infinium");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(launcher, "#!/bin/sh\nexec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' ai.infinium.connector.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        return launcher;
    }

    /** A user who ran {@code init} through {@code launcher}, as the launcher announces itself, and trusts the folder. */
    TestEnv initialised(Path launcher, String secret, String baseUrl) throws Exception {
        TestEnv env = new TestEnv(tmp).with("INFINIUM_LAUNCHER", launcher.toString())
                .with("INFINIUM_LAUNCHED", "start-up archive: appcds " + tmp.resolve("infinium-17.appcds.jsa") + " (used)");
        TestEnv.Result init = env.run(project, "init", "--no-interactive", "--no-check", "--agent", "claude-code",
                "--mode", "command", "--agent-id", api.agentId(), "--agent-secret", secret, "--base-url", baseUrl);
        assertThat(init.code()).as(init.toString()).isZero();
        Files.writeString(Files.createDirectories(Path.of(env.env().get("HOME"))).resolve(".claude.json"),
                JSON.createObjectNode().set("projects", JSON.createObjectNode().set(project.toString(),
                        JSON.createObjectNode().put("hasTrustDialogAccepted", true))).toString());
        return env;
    }

    TestEnv healthy() throws Exception {
        return initialised(launcher(), api.agentSecret(), api.baseUrl());
    }

    static JsonNode check(JsonNode doctor, String name) {
        for (JsonNode c : doctor.path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + doctor.toPrettyString());
    }

    JsonNode doctorJson(TestEnv env) throws Exception {
        TestEnv.Result r = env.run(project, "doctor", "--json");
        return JSON.readTree(r.out());
    }

    @Test
    void aHealthySetupIsAllOk() throws Exception {
        TestEnv env = healthy();
        TestEnv.Result r = env.run(project, "doctor");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("All ").contains(" checks are ok.").doesNotContain("\u001b[");
        JsonNode j = doctorJson(env);
        List<String> notOk = new ArrayList<>();
        j.path("checks").forEach(c -> {
            if (!c.path("level").asText().equals("ok")) {
                notOk.add(c.toString());
            }
        });
        assertThat(notOk).isEmpty();
        assertThat(check(j, "hooks: Claude Code").path("what").asText()).contains(env.env().get("INFINIUM_LAUNCHER"));
        assertThat(check(j, "credentials").path("what").asText()).contains("agent-doc").contains(api.baseUrl());
        assertThat(check(j, "claude folder trust").path("what").asText()).contains("is trusted");
        // the health check was the only request, and no trace was sent
        assertThat(api.traces()).isEmpty();
        assertThat(api.requests()).allSatisfy(q -> assertThat(q.toString()).contains("/health"));
    }

    @Test
    void theJsonHasOneEntryPerCheckAndTheCounts() throws Exception {
        TestEnv env = healthy();
        api.skewClock(Duration.ofMinutes(2));
        TestEnv.Result r = env.run(project, "doctor", "--json");
        assertThat(r.code()).as(r.toString()).isZero(); // warnings only
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.fieldNames()).toIterable().containsExactly("checks", "errors", "warnings");
        assertThat(j.path("errors").asInt()).isZero();
        assertThat(j.path("warnings").asInt()).isEqualTo(1);
        for (JsonNode c : j.path("checks")) {
            assertThat(c.fieldNames()).toIterable().containsExactly("name", "level", "what", "fix");
            assertThat(c.path("level").asText()).isIn("ok", "warning", "error");
        }
        JsonNode clock = check(j, "clock");
        assertThat(clock.path("level").asText()).isEqualTo("warning");
        assertThat(clock.path("what").asText()).contains("behind the API's");
        assertThat(clock.path("fix").asText()).contains("NTP");
    }

    @Test
    void aClockFarOffIsAnError() throws Exception {
        TestEnv env = healthy();
        api.skewClock(Duration.ofMinutes(-10));
        TestEnv.Result r = env.run(project, "doctor", "--json");
        assertThat(r.code()).isEqualTo(1);
        JsonNode clock = check(JSON.readTree(r.out()), "clock");
        assertThat(clock.path("level").asText()).isEqualTo("error");
        assertThat(clock.path("what").asText()).contains("ahead of the API's").contains("more than 5 min");
    }

    @Test
    void aDeletedLauncherIsAnErrorNamingItWithTheFix() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("old install/bin")).resolve("infinium");
        Files.copy(Path.of("bin/infinium"), copy, StandardCopyOption.COPY_ATTRIBUTES);
        TestEnv env = initialised(copy, api.agentSecret(), api.baseUrl());
        assertThat(Files.readString(project.resolve(".claude/settings.local.json"))).contains(copy.toString());
        Files.delete(copy);
        TestEnv.Result r = env.run(project, "doctor");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("ERROR").contains(copy + ", which no longer exists")
                .contains("fix: run `infinium init` again in " + project);
        JsonNode hooks = check(doctorJson(env), "hooks: Claude Code");
        assertThat(hooks.path("level").asText()).isEqualTo("error");
        assertThat(hooks.path("what").asText()).contains(copy.toString());
        assertThat(check(doctorJson(env), "launcher").path("level").asText()).isEqualTo("error");
    }

    @Test
    void aRefusedSecretIsAnErrorWithUpdateCredentials() throws Exception {
        TestEnv env = initialised(launcher(), "not-the-secret", api.baseUrl());
        TestEnv.Result r = env.run(project, "doctor", "--json");
        assertThat(r.code()).isEqualTo(1);
        JsonNode credentials = check(JSON.readTree(r.out()), "credentials");
        assertThat(credentials.path("level").asText()).isEqualTo("error");
        assertThat(credentials.path("what").asText()).contains("HTTP 401");
        assertThat(credentials.path("fix").asText()).contains("infinium update-credentials");
    }

    @Test
    void anUnreachableApiIsAnError() throws Exception {
        String closed = "http://127.0.0.1:" + FreePort.find() + "/api/v1";
        TestEnv env = initialised(launcher(), api.agentSecret(), closed);
        TestEnv.Result r = env.run(project, "doctor", "--json");
        assertThat(r.code()).isEqualTo(1);
        JsonNode j = JSON.readTree(r.out());
        JsonNode credentials = check(j, "credentials");
        assertThat(credentials.path("level").asText()).isEqualTo("error");
        assertThat(credentials.path("what").asText()).contains("cannot be reached");
        assertThat(credentials.path("fix").asText()).contains("network").contains(closed);
        assertThat(check(j, "clock").path("level").asText()).isEqualTo("warning");
    }

    @Test
    void anUntrustedFolderIsAWarning() throws Exception {
        TestEnv env = healthy();
        Files.delete(Path.of(env.env().get("HOME")).resolve(".claude.json"));
        TestEnv.Result r = env.run(project, "doctor", "--json");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode trust = check(JSON.readTree(r.out()), "claude folder trust");
        assertThat(trust.path("level").asText()).isEqualTo("warning");
        assertThat(trust.path("fix").asText()).contains("accept the trust dialog");
    }

    /** The plugin's hooks are this project's hooks when the plugin is enabled: no "no hooks" error. */
    @Test
    void hooksFromTheClaudeCodePluginCount() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("claude-config"));
        Files.writeString(config.resolve("settings.json"), "{\"enabledPlugins\":{\"infinium@infinium\":true}}");
        TestEnv env = new TestEnv(tmp).with("CLAUDE_CONFIG_DIR", config.toString());
        TestEnv.Result init = env.run(project, "init", "--no-interactive", "--no-check", "--no-hooks", "--agent-id",
                api.agentId(), "--agent-secret", api.agentSecret(), "--base-url", api.baseUrl());
        assertThat(init.code()).as(init.toString()).isZero();
        JsonNode r = JSON.readTree(env.run(project, "doctor", "--json").out());
        assertThat(check(r, "hooks: Claude Code plugin").path("level").asText()).isEqualTo("ok");
        assertThat(check(r, "hooks: Claude Code plugin").path("what").asText()).contains("infinium@infinium");
        assertThat(r.path("checks").findValuesAsText("what")).as("no 'no hooks' error")
                .noneMatch(w -> w.startsWith("no agent's hooks are installed"));
    }

    @Test
    void noProjectIsAnError() throws Exception {
        TestEnv env = new TestEnv(tmp);
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        TestEnv.Result r = env.run(elsewhere, "doctor");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("tracing is not set up in " + elsewhere).contains("run `infinium init`");
    }

    @Test
    void anOtlpOnlyProjectSkipsTheCredentialsAndSendsTheEndpointAnEmptyExport() throws Exception {
        List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer collector = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/v1/traces", x -> {
            received.add(x.getRequestMethod() + " " + x.getRequestHeaders().getFirst("Content-Type") + " "
                    + x.getRequestBody().readAllBytes().length + " " + x.getRequestHeaders().getFirst("X-Team"));
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        collector.start();
        try {
            String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces";
            TestEnv env = new TestEnv(tmp).with("INFINIUM_LAUNCHER", launcher().toString());
            TestEnv.Result init = env.run(project, "init", "--no-interactive", "--agent", "claude-code", "--mode", "command",
                    "--no-infinium", "--otlp-endpoint", endpoint, "--otlp-header", "X-Team=blue");
            assertThat(init.code()).as(init.toString()).isZero();
            JsonNode j = doctorJson(env);
            assertThat(check(j, "credentials").path("what").asText()).contains("not needed");
            JsonNode otlp = check(j, "otlp");
            assertThat(otlp.path("level").asText()).as(otlp.toString()).isEqualTo("ok");
            assertThat(received).containsExactly("POST application/x-protobuf 0 blue");
            assertThat(api.requests()).isEmpty();

            collector.stop(0);
            JsonNode down = check(doctorJson(env), "otlp");
            assertThat(down.path("level").asText()).isEqualTo("error");
            assertThat(down.path("what").asText()).contains("cannot be reached");
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void codexHooksItHasNotTrustedAreErrorsWithTheirFix() throws Exception {
        Files.createDirectories(project.resolve(".codex"));
        TestEnv env = new TestEnv(tmp).with("INFINIUM_LAUNCHER", launcher().toString());
        TestEnv.Result init = env.run(project, "init", "--no-interactive", "--no-check", "--agent", "codex",
                "--agent-id", api.agentId(), "--agent-secret", api.agentSecret(), "--base-url", api.baseUrl());
        assertThat(init.code()).as(init.toString()).isZero();
        TestEnv.Result r = env.run(project, "doctor", "--json");
        assertThat(r.code()).isEqualTo(1);
        JsonNode j = JSON.readTree(r.out());
        assertThat(check(j, "hooks: Codex").path("level").asText()).isEqualTo("ok");
        List<String> trust = new ArrayList<>();
        j.path("checks").forEach(c -> {
            if (c.path("name").asText().equals("trust: Codex")) {
                trust.add(c.path("level").asText() + ": " + c.path("what").asText() + " / " + c.path("fix").asText());
            }
        });
        assertThat(trust).anySatisfy(t -> assertThat(t).startsWith("error: Codex has trusted 0 of our")
                .contains("trust them with /hooks"));
    }
}
