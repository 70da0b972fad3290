package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config.toml the Codex harness writes, checked without the CLI. */
class CodexConfigTest {

    @Test
    void rendersPlainTomlWithTheProviderFeaturesAndTrustedProjects() {
        Map<String, Boolean> features = new LinkedHashMap<>();
        features.put("hooks", true);
        features.put("plugins", true); // overrides a default
        CodexConfig config = new CodexConfig("http://127.0.0.1:4321/v1", "gpt-fake", "fake", "KEY_ENV", features,
                List.of(Path.of("/work/my \"project\"")));

        assertThat(config.render()).isEqualTo("""
                # Written by the e2e harness (CodexRun): Codex against a loopback fake of the Responses API.
                model = "gpt-fake"
                model_provider = "fake"
                approval_policy = "never"
                sandbox_mode = "danger-full-access"

                [model_providers.fake]
                name = "Infinium e2e fake"
                base_url = "http://127.0.0.1:4321/v1"
                wire_api = "responses"
                env_key = "KEY_ENV"
                request_max_retries = 0
                stream_max_retries = 0

                [features]
                enable_request_compression = false
                plugins = true
                hooks = true

                [projects."/work/my \\"project\\""]
                trust_level = "trusted"
                """);
    }

    @Test
    void escapesTomlStringsAndRejectsKeysThatNeedQuoting() {
        assertThat(CodexConfig.string("a\\b\"c\nd\u0001")).isEqualTo("\"a\\\\b\\\"c\\nd\\u0001\"");
        CodexConfig config = new CodexConfig("http://x/v1", "m", "bad provider", "K", Map.of(), List.of());
        assertThatThrownBy(config::render).isInstanceOf(IllegalArgumentException.class);
    }
}
