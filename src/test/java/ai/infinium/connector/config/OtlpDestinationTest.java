package ai.infinium.connector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtlpDestinationTest {
    @TempDir Path tmp;

    static final OtlpConfig PROJECT = new OtlpConfig("http://collector:4318", null, Map.of("x-scope-orgid", "team-a"),
            List.of("authorization"), false, null);

    @Test
    void theProjectFileAloneNamesTheTracesUrlAndProtobuf() throws Exception {
        OtlpDestination.Target t = new OtlpDestination(Map.of()).target(PROJECT);
        assertThat(t.endpoint()).isEqualTo("http://collector:4318/v1/traces");
        assertThat(t.protocol()).isEqualTo("http/protobuf");
        assertThat(t.endpointSource()).isEqualTo("project file");
    }

    @Test
    void theStandardVariablesWinTracesSpecificFirst() throws Exception {
        OtlpDestination general = new OtlpDestination(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otel.example/",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"));
        assertThat(general.target(PROJECT).endpoint()).isEqualTo("https://otel.example/v1/traces");
        assertThat(general.target(PROJECT).protocol()).isEqualTo("http/json");
        OtlpDestination specific = new OtlpDestination(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otel.example",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://traces.example/custom/path",
                "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"));
        // the signal-specific URL is used as it is, no /v1/traces added
        assertThat(specific.target(PROJECT).endpoint()).isEqualTo("https://traces.example/custom/path");
        assertThat(specific.target(PROJECT).endpointSource()).isEqualTo("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
        assertThat(specific.target(PROJECT).protocol()).isEqualTo("http/protobuf");
    }

    /** A setting the connector could not read is never guessed past: no target, the problem in words. */
    @Test
    void aDamagedSettingHasNoTarget() {
        OtlpConfig damaged = new OtlpConfig(null, null, Map.of(), List.of(), false, "p: otlp.endpoint is missing");
        assertThatThrownBy(() -> new OtlpDestination(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://h:4318"))
                .target(damaged)).isInstanceOf(ConfigException.class).hasMessage("p: otlp.endpoint is missing");
    }

    @Test
    void grpcIsRefusedInWordsThatSayWhatToDo() {
        OtlpDestination grpc = new OtlpDestination(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
        assertThatThrownBy(() -> grpc.target(PROJECT)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("\"grpc\" is not supported").hasMessageContaining("http/protobuf or http/json");
    }

    @Test
    void aFullTracesUrlIsKeptAndABaseOneGetsThePath() {
        assertThat(OtlpDestination.tracesUrl("http://h:4318")).isEqualTo("http://h:4318/v1/traces");
        assertThat(OtlpDestination.tracesUrl("http://h:4318/otlp/")).isEqualTo("http://h:4318/otlp/v1/traces");
        assertThat(OtlpDestination.tracesUrl("http://h:4318/v1/traces")).isEqualTo("http://h:4318/v1/traces");
    }

    @Test
    void headersComeFromTheProjectTheStoreAndTheEnvironmentInThatOrder() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        FileSecretStore store = new FileSecretStore(tmp.resolve("secrets.json"));
        store.put(OtlpConfig.secretAccount(project, "authorization"), "Bearer from-store");
        ProjectConfig config = new ProjectConfig(project, null, null, "turn", ProjectConfig.Redaction.UNSET, PROJECT,
                false);
        Map<String, String> h = new OtlpDestination(Map.of("OTEL_EXPORTER_OTLP_HEADERS",
                "x-scope-orgid=team-b,api-key=a%3Db%20c,broken")).headers(config, store);
        assertThat(h).containsEntry("authorization", "Bearer from-store").containsEntry("x-scope-orgid", "team-b")
                .containsEntry("api-key", "a=b c").doesNotContainKey("broken");
    }

    @Test
    void aMissingSecretHeaderSaysHowToStoreIt() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p"));
        ProjectConfig config = new ProjectConfig(project, null, null, "turn", ProjectConfig.Redaction.UNSET, PROJECT,
                false);
        assertThatThrownBy(() -> new OtlpDestination(Map.of()).headers(config,
                new FileSecretStore(tmp.resolve("secrets.json"))))
                .hasMessageContaining("authorization").hasMessageContaining("infinium init --otlp-header");
    }

    @Test
    void timeoutInMillisecondsWithTheSdkDefault() {
        assertThat(new OtlpDestination(Map.of()).timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(new OtlpDestination(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "2500")).timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(new OtlpDestination(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "2500", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
                "700")).timeout()).isEqualTo(Duration.ofMillis(700));
        assertThat(new OtlpDestination(Map.of("OTEL_EXPORTER_OTLP_TIMEOUT", "soon")).timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void credentialLookingHeadersAreSecretOthersPlain() {
        assertThat(OtlpDestination.looksSecret("Authorization", "Basic dXNlcjpwYXNz")).isTrue();
        assertThat(OtlpDestination.looksSecret("x-honeycomb-team", "abc")).isTrue();
        assertThat(OtlpDestination.looksSecret("DD-API-KEY", "0123456789abcdef")).isTrue();
        assertThat(OtlpDestination.looksSecret("x-custom", "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8")).isTrue();
        assertThat(OtlpDestination.looksSecret("x-scope-orgid", "team-a")).isFalse();
        assertThat(OtlpDestination.looksSecret("x-honeycomb-dataset", "agents")).isFalse();
    }

    @Test
    void aDamagedOtlpSettingIsAProblemInWordsNotAnException() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p/.infinium")).getParent();
        Files.writeString(project.resolve(".infinium/config.json"),
                "{\"otlp\": {\"endpoint\": \"ftp://x\", \"protocol\": \"grpc\", \"headers\": [1], \"colour\": 1}}");
        OtlpConfig o = ProjectConfig.read(project).otlp();
        assertThat(o.problem()).contains("must be an http:// or https:// URL").contains("protocol must be")
                .contains("headers must be an object").contains("no setting \"colour\"");
        assertThat(ProjectConfig.read(project).problem()).isEqualTo(o.problem());
    }
}
