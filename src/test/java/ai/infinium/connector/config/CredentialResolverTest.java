package ai.infinium.connector.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each credential comes from, the Claude Code plugin's options last and only where a project asks for them. */
class CredentialResolverTest {
    static final PluginOptions PLUGIN = new PluginOptions("plugin-agent", "plugin-secret-1", "http://127.0.0.1:9/api",
            PluginOptions.HOOK_ENVIRONMENT);

    @TempDir Path tmp;
    Map<String, String> env = new HashMap<>();
    FileSecretStore store;
    AtomicInteger pluginReads = new AtomicInteger();

    @BeforeEach
    void setUp() {
        store = new FileSecretStore(tmp.resolve("secrets.json"));
    }

    CredentialResolver resolver() {
        return new CredentialResolver(env, store, () -> {
            pluginReads.incrementAndGet();
            return PLUGIN;
        });
    }

    ProjectConfig project(String agentId, String baseUrl) throws IOException, ConfigException {
        Path dir = Files.createDirectories(tmp.resolve("project"));
        ProjectConfig p = new ProjectConfig(dir, agentId, baseUrl, "turn");
        p.write();
        return ProjectConfig.read(dir);
    }

    @Test
    void aProjectNamingNoAgentTakesThePluginsAgentSecretAndBaseUrl() throws Exception {
        Credentials c = resolver().resolve(project(null, null));
        assertThat(c.agentId()).isEqualTo("plugin-agent");
        assertThat(c.secret()).isEqualTo("plugin-secret-1");
        assertThat(c.baseUrl()).isEqualTo("http://127.0.0.1:9/api");
        assertThat(c.agentIdSource()).isEqualTo(PluginOptions.SOURCE);
        assertThat(c.secretSource()).isEqualTo(PluginOptions.SOURCE);
        assertThat(c.baseUrlSource()).isEqualTo(PluginOptions.SOURCE);
    }

    @Test
    void aProjectsOwnAgentWinsAndIsNeverGivenThePluginsSecretOrBaseUrl() throws Exception {
        Credentials c = resolver().resolve(project("own-agent", null));
        assertThat(c.agentId()).isEqualTo("own-agent");
        assertThat(c.secret()).isNull();
        assertThat(c.baseUrl()).isEqualTo(Credentials.DEFAULT_BASE_URL);
        assertThat(pluginReads).as("not even read").hasValue(0);
    }

    @Test
    void theStoredSecretOfThePluginsAgentWinsOverThePluginsOwn() throws Exception {
        store.put("plugin-agent", "stored-secret-2");
        assertThat(resolver().resolve(project(null, null)).secret()).isEqualTo("stored-secret-2");
    }

    @Test
    void withoutAProjectThePluginTracesNothing() throws Exception {
        Credentials c = resolver().resolve(tmp.resolve("elsewhere"));
        assertThat(c.agentId()).isNull();
        assertThat(c.complete()).isFalse();
        assertThat(pluginReads).hasValue(0);
    }

    @Test
    void aProjectSendingToOtlpOnlyIgnoresThePlugin() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("otlp-only"));
        new ProjectConfig(dir, null, null, "turn").exportingTo(null, false).write();
        assertThat(resolver().resolve(ProjectConfig.read(dir)).agentId()).isNull();
    }

    @Test
    void theEnvironmentWinsOverThePlugin() throws Exception {
        env.put("INFINIUM_AGENT_ID", "env-agent");
        env.put("INFINIUM_AGENT_SECRET", "env-secret-3");
        Credentials c = resolver().resolve(project(null, null));
        assertThat(c.agentId()).isEqualTo("env-agent");
        assertThat(c.secret()).isEqualTo("env-secret-3");
        assertThat(c.baseUrl()).isEqualTo(Credentials.DEFAULT_BASE_URL);
    }

    @Test
    void outsideTheHookThePluginsAgentComesWithoutItsSecretAndThatIsNoFault() throws Exception {
        CredentialResolver r = new CredentialResolver(env, store,
                () -> new PluginOptions("plugin-agent", null, null, "settings.json"));
        Credentials c = r.resolve(project(null, null));
        assertThat(c.agentId()).isEqualTo("plugin-agent");
        assertThat(c.secretOnlyInPluginHooks()).isTrue();
        assertThat(PluginOptions.fromHookEnvironment(Map.of(PluginOptions.envName(PluginOptions.AGENT_ID), " "))).isEqualTo(
                PluginOptions.NONE);
    }
}
