package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret in a real Linux Secret Service: gnome-keyring started and unlocked inside its own
 * `dbus-run-session`, the packaged connector storing, updating and deleting the secret, and
 * `secret-tool` (libsecret, not our code) reading it back. Also the fallback when no bus exists.
 */
@Tag("e2e")
class SecretServiceE2ETest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "keyring-secret-Q7w9";
    static final String SECRET2 = "keyring-secret-R2d2";

    @TempDir Path work;
    Path project;
    Path jar = Path.of("target", "infinium.jar").toAbsolutePath();

    @BeforeEach
    void setUp() throws Exception {
        project = Files.createDirectories(work.resolve("project"));
        Files.createDirectories(project.resolve(".claude"));
        boolean tools = Stream.of("dbus-run-session", "gnome-keyring-daemon", "secret-tool")
                .allMatch(t -> Stream.of("/usr/bin", "/bin").anyMatch(d -> Files.isExecutable(Path.of(d, t))));
        if (!tools && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install gnome-keyring, dbus and libsecret-tools (see .ci/run)");
        }
        Assumptions.assumeTrue(tools, "gnome-keyring, dbus-run-session and secret-tool are not installed");
    }

    Map<String, String> baseEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", work.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", work.resolve("config").toString());
        env.put("XDG_STATE_HOME", work.resolve("state").toString());
        env.put("XDG_CACHE_HOME", work.resolve("cache").toString());
        env.put("XDG_DATA_HOME", work.resolve("data").toString());
        env.put("CONNECTOR_SESSION_DIR", work.resolve("sessions").toString());
        return env;
    }

    /** Runs a script, returning its output split into sections by "== name" marker lines. */
    Map<String, String> run(List<String> command, Map<String, String> env, String script) throws Exception {
        Path file = work.resolve("script-" + System.nanoTime() + ".sh");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(command);
        cmd.add("sh");
        cmd.add(file.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Map<String, String> sections = new LinkedHashMap<>();
        String current = "preamble";
        StringBuilder sb = new StringBuilder();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.startsWith("== ")) {
                sections.put(current, sb.toString().strip());
                current = line.substring(3).trim();
                sb.setLength(0);
            } else {
                sb.append(line).append('\n');
            }
        }
        sections.put(current, sb.toString().strip());
        return sections;
    }

    String connector(String args) {
        return "java -jar '" + jar + "' " + args;
    }

    @Test
    void theSecretLivesInTheSecretServiceAndNowhereElse() throws Exception {
        String script = String.join("\n",
                "echo -n unlock-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1",
                "echo '== init'",
                connector("init --no-interactive --agent claude-code --agent-id ss-agent --agent-secret " + SECRET
                        + " --base-url http://127.0.0.1:9/api/v1") + "; echo \"exit=$?\"",
                "echo '== lookup1'",
                "secret-tool lookup service infinium account ss-agent; echo",
                "echo '== status'",
                connector("status --json"),
                "echo '== update'",
                connector("update-credentials --agent-secret " + SECRET2) + "; echo \"exit=$?\"",
                "echo '== lookup2'",
                "secret-tool lookup service infinium account ss-agent; echo",
                "echo '== uninstall'",
                connector("uninstall -y") + "; echo \"exit=$?\"",
                "echo '== lookup3'",
                "secret-tool lookup service infinium account ss-agent; echo \"exit=$?\"",
                "echo '== end'",
                "");
        Map<String, String> out = run(List.of("dbus-run-session", "--"), baseEnv(), script);
        assertThat(out.get("init")).as(out.toString()).contains("exit=0").contains("OS keyring");
        assertThat(out.get("lookup1")).isEqualTo(SECRET);
        // The keyring's native library is unpacked into our cache folder, not under Java's user.home.
        assertThat(work.resolve("cache/infinium/jna")).isDirectory();
        JsonNode status = JSON.readTree(out.get("status"));
        assertThat(status.path("secret_source").asText()).isEqualTo("keyring");
        assertThat(status.path("secret_store").asText()).contains("GNOME_KEYRING");
        assertThat(status.path("secret").asText()).isEqualTo("****Q7w9");
        assertThat(out.get("update")).contains("exit=0").doesNotContain(SECRET2);
        assertThat(out.get("lookup2")).isEqualTo(SECRET2);
        assertThat(out.get("uninstall")).contains("exit=0");
        assertThat(out.get("lookup3")).isEqualTo("exit=1");
        assertThat(work.resolve("config/infinium/secrets.json")).as("no fallback file").doesNotExist();
        assertNoFileContains(SECRET);
        assertNoFileContains(SECRET2);
    }

    @Test
    void withoutABusTheSecretGoesToAnOwnerOnlyFileAndStatusSaysWhy() throws Exception {
        String script = String.join("\n",
                "echo '== init'",
                connector("init --no-interactive --agent claude-code --agent-id fb-agent --agent-secret " + SECRET) + "; echo \"exit=$?\"",
                "echo '== status'",
                connector("status"),
                "echo '== end'", "");
        Map<String, String> out = run(List.of(), baseEnv(), script);
        assertThat(out.get("init")).as(out.toString()).contains("exit=0").contains("no Secret Service on this machine");
        assertThat(out.get("status")).contains("file fallback").contains("readable only by you").doesNotContain(SECRET);
        Path file = work.resolve("config/infinium/secrets.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains(SECRET);
    }

    void assertNoFileContains(String secret) throws Exception {
        try (Stream<Path> files = Files.walk(work)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().startsWith("script-") || f.toString().contains("/data/keyrings/")) {
                    continue; // our own test script; the keyring's encrypted store
                }
                assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as("secret in %s", f)
                        .doesNotContain(secret);
            }
        }
    }
}
