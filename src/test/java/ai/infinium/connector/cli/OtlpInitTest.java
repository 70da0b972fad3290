package ai.infinium.connector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.config.FileSecretStore;
import ai.infinium.connector.config.OtlpConfig;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code init}'s OTLP options: what lands in the project file, what in the secret store, what status says. */
class OtlpInitTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TOKEN = "Bearer otlp-token-7Hq2xZ9k";

    @TempDir Path tmp;
    TestEnv env;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        env = new TestEnv(tmp);
        project = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(project.resolve(".claude"));
    }

    TestEnv.Result init(String... extra) {
        List<String> args = new ArrayList<>(List.of("init", "--no-interactive", "--agent", "claude-code", "--mode",
                "command"));
        args.addAll(List.of(extra));
        return env.run(project, args.toArray(String[]::new));
    }

    JsonNode config() throws Exception {
        return JSON.readTree(project.resolve(".infinium/config.json").toFile());
    }

    FileSecretStore store() {
        return FileSecretStore.inConfigDir(env.dirs());
    }

    @Test
    void otlpOnlyNeedsNoInfiniumCredentialsAndKeepsTheTokenOutOfTheFile() throws Exception {
        TestEnv.Result r = init("--no-infinium", "--otlp-endpoint", "http://127.0.0.1:4318", "--otlp-header",
                "authorization=" + TOKEN, "--otlp-header", "x-scope-orgid=team-a", "--otlp-protocol", "http/json");
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out()).contains("otlp:    http://127.0.0.1:4318/v1/traces (http/json, headers x-scope-orgid, "
                + "authorization (in the secret store), no prompt or tool text)").contains("no Infinium");
        JsonNode c = config();
        assertThat(c.has("agent_id")).isFalse();
        assertThat(c.path("infinium").asBoolean(true)).isFalse();
        assertThat(c.path("otlp").path("endpoint").asText()).isEqualTo("http://127.0.0.1:4318");
        assertThat(c.path("otlp").path("protocol").asText()).isEqualTo("http/json");
        assertThat(c.path("otlp").path("headers").path("x-scope-orgid").asText()).isEqualTo("team-a");
        assertThat(c.path("otlp").path("secret_headers").get(0).asText()).isEqualTo("authorization");
        assertThat(Files.readString(project.resolve(".infinium/config.json"))).doesNotContain("otlp-token");
        assertThat(store().get(OtlpConfig.secretAccount(project.toAbsolutePath().normalize(), "authorization")))
                .contains(TOKEN);

        TestEnv.Result status = env.run(project, "status");
        assertThat(status.out()).contains("Exporters:    infinium  off (this project said --no-infinium)")
                .contains("otlp      http://127.0.0.1:4318/v1/traces (http/json, headers x-scope-orgid, authorization")
                .doesNotContain("no agent id").doesNotContain("otlp-token");
        assertThat(status.code()).as(status.toString()).isZero();
        JsonNode json = JSON.readTree(env.run(project, "status", "--json").out());
        assertThat(json.path("exporters").path("otlp").path("endpoint").asText())
                .isEqualTo("http://127.0.0.1:4318/v1/traces");
        assertThat(json.path("exporters").path("infinium").path("enabled").asBoolean()).isFalse();
        assertThat(json.path("tracing").asText()).isEqualTo("active");
    }

    @Test
    void bothExportersWhenInfiniumCredentialsAreGivenToo() throws Exception {
        TestEnv.Result r = init("--agent-id", "agent-abc", "--agent-secret", "s3cret-value-XYZ", "--no-check",
                "--otlp-endpoint", "https://otel.example:4318/v1/traces", "--otlp-content");
        assertThat(r.code()).as(r.toString()).isZero();
        JsonNode c = config();
        assertThat(c.path("agent_id").asText()).isEqualTo("agent-abc");
        assertThat(c.has("infinium")).isFalse();
        assertThat(c.path("otlp").path("content").asBoolean()).isTrue();
        // run again without OTLP options: the settings stay; --no-otlp removes them
        assertThat(init("--no-check").code()).isZero();
        assertThat(config().path("otlp").path("endpoint").asText()).isEqualTo("https://otel.example:4318/v1/traces");
        assertThat(init("--no-check", "--no-otlp").code()).isZero();
        assertThat(config().has("otlp")).isFalse();
        assertThat(config().path("agent_id").asText()).isEqualTo("agent-abc");
    }

    @Test
    void contradictionsAndBadValuesAreUsageErrorsThatWriteNothing() throws Exception {
        assertThat(init("--no-infinium").code()).isEqualTo(2);
        TestEnv.Result grpc = init("--no-infinium", "--otlp-endpoint", "http://127.0.0.1:4317", "--otlp-protocol", "grpc");
        assertThat(grpc.code()).isEqualTo(2);
        assertThat(grpc.err()).contains("--otlp-protocol is http/protobuf or http/json");
        assertThat(init("--no-infinium", "--otlp-endpoint", "localhost:4318").code()).isEqualTo(2);
        assertThat(init("--no-infinium", "--otlp-endpoint", "http://h", "--otlp-header", "no-equals").code()).isEqualTo(2);
        assertThat(init("--no-infinium", "--agent-id", "agent-abc", "--otlp-endpoint", "http://h").code()).isEqualTo(2);
        assertThat(Files.exists(project.resolve(".infinium/config.json"))).isFalse();
    }

    /** A header value gone from the store: status names it and the fix, instead of traces failing quietly. */
    @Test
    void statusSaysWhenAStoredHeaderValueIsMissing() throws Exception {
        assertThat(init("--no-infinium", "--otlp-endpoint", "http://127.0.0.1:4318", "--otlp-header",
                "authorization=" + TOKEN).code()).isZero();
        store().delete(OtlpConfig.secretAccount(project.toAbsolutePath().normalize(), "authorization"));
        TestEnv.Result status = env.run(project, "status");
        assertThat(status.code()).isEqualTo(1);
        assertThat(status.out()).contains("NOT TRACING").contains("OTLP header authorization is not in the secret store")
                .contains("infinium init --otlp-header");
    }

    @Test
    void uninstallRemovesTheStoredHeaderValue() throws Exception {
        assertThat(init("--no-infinium", "--otlp-endpoint", "http://127.0.0.1:4318", "--otlp-header",
                "authorization=" + TOKEN).code()).isZero();
        String account = OtlpConfig.secretAccount(project.toAbsolutePath().normalize(), "authorization");
        assertThat(store().get(account)).isPresent();
        TestEnv.Result u = env.run(project, "uninstall", "-y");
        assertThat(u.code()).as(u.toString()).isZero();
        assertThat(store().get(account)).isEmpty();
    }

    @Test
    void replacingTheHeadersDeletesTheValuesNoLongerNamed() throws Exception {
        assertThat(init("--no-infinium", "--otlp-endpoint", "http://127.0.0.1:4318", "--otlp-header",
                "authorization=" + TOKEN).code()).isZero();
        assertThat(init("--otlp-header", "x-api-key=k-12345678").code()).isZero();
        Path p = project.toAbsolutePath().normalize();
        assertThat(store().get(OtlpConfig.secretAccount(p, "authorization"))).isEmpty();
        assertThat(store().get(OtlpConfig.secretAccount(p, "x-api-key"))).contains("k-12345678");
        assertThat(config().path("infinium").asBoolean(true)).as("still OTLP only").isFalse();
    }
}
