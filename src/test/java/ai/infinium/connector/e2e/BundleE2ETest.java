package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.Fixtures;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release bundle installed the way the README says, on a PATH without Maven: unpacked into
 * ~/.local/share/infinium/infinium-VERSION, linked as ~/.local/bin/infinium, {@code init} run
 * through the link. The hooks it writes are then run exactly as Claude Code runs them
 * ({@code sh -c COMMAND}, the event on stdin) for a recorded session, and an upgrade (a new
 * folder, the link repointed, the old folder deleted) must keep them delivering untouched.
 */
@Tag("e2e")
class BundleE2ETest {
    static final String AGENT = "agent-bundle";
    static final String SECRET = "secret-of-agent-bundle";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    FakeInfiniumApi api;
    Path tarball;
    Path home;
    Path link;
    Path project;
    Map<String, String> env;

    @BeforeEach
    void setUp() throws Exception {
        tarball = UnpackedBundle.tarball();
        api = FakeInfiniumApi.start(AGENT, SECRET);
        home = tmp.resolve("home");
        link = Files.createDirectories(home.resolve(".local/bin")).resolve("infinium");
        project = Files.createDirectories(tmp.resolve("project"));
        Map<String, String> e = new HashMap<>(new TestEnv(tmp).with("INFINIUM_SECRET_STORE", "file").env());
        e.put("PATH", UnpackedBundle.toolPath(tmp.resolve("tools")) + ":" + link.getParent());
        env = Map.copyOf(e);
        // A fresh stale-scan marker: no hook starts a background `flush --stale` that would still be
        // writing into the temp dir when the test ends (the scan runs at most once a minute).
        Path sessions = Path.of(env.get("CONNECTOR_SESSION_DIR"));
        Files.createDirectories(sessions);
        Files.writeString(sessions.resolve(".stale-scan"), "");
    }

    @AfterEach
    void tearDown() throws Exception {
        new TestEnv(tmp).awaitDeliveriesDone(Duration.ofSeconds(60));
        api.close();
    }

    @Test
    void runsWithoutMavenAndItsHooksSurviveAnUpgrade() throws Exception {
        assertThat(sh("command -v mvn").code()).as("no Maven on this PATH").isNotZero();
        Path v1 = UnpackedBundle.unpack(tarball, home.resolve(".local/share/infinium/" + UnpackedBundle.topFolder(tarball)));
        assertThat(v1.resolve("bin/infinium")).isExecutable();
        assertThat(v1.resolve("bin/infinium-forward")).isExecutable();
        // the bundle is a Claude Code plugin marketplace too, its hook script runnable
        assertThat(v1.resolve(".claude-plugin/marketplace.json")).isRegularFile();
        assertThat(v1.resolve("plugins/claude-code/hooks/hooks.json")).isRegularFile();
        assertThat(v1.resolve("plugins/claude-code/hooks/infinium-hook")).isExecutable();
        // and a Codex one (.agents/plugins/marketplace.json), its hook script runnable as well
        assertThat(v1.resolve(".agents/plugins/marketplace.json")).isRegularFile();
        assertThat(v1.resolve("plugins/codex/.codex-plugin/plugin.json")).isRegularFile();
        assertThat(v1.resolve("plugins/codex/hooks/infinium-hook")).isExecutable();
        assertThat(v1.resolve("README.md")).isRegularFile();
        assertThat(v1.resolve("LICENSE")).isRegularFile();
        assertThat(Files.readString(v1.resolve("THIRD-PARTY.txt"))).as("each redistributed jar's licence")
                .contains("jackson-databind").contains("java-keyring");
        assertThat(v1.resolve("pom.xml")).doesNotExist();
        assertManifestClassPathResolves(v1);
        assertZipHoldsTheSameFiles(v1);

        UnpackedBundle.Ran demo = sh(v1.resolve("bin/infinium") + " demo");
        assertThat(demo.code()).as(demo.toString()).isZero();
        assertThat(demo.out()).contains("=== Trace 1 of").contains("\"steps\"")
                .contains("trace(s) delivered to the local receiver");
        assertThat(v1.resolve("target")).as("the bundle never builds").doesNotExist();
        assertThat(archivesIn(v1.resolve("lib"))).as("the class-data archive, beside the jar").isNotEmpty();

        Files.createSymbolicLink(link, v1.resolve("bin/infinium"));
        UnpackedBundle.Ran init = sh("infinium init --no-interactive --agent claude-code --mode command --agent-id " + AGENT
                + " --agent-secret " + SECRET + " --base-url " + api.baseUrl() + " --no-check");
        assertThat(init.code()).as(init.toString()).isZero();
        Path settings = project.resolve(".claude/settings.local.json");
        byte[] hooksAtInit = Files.readAllBytes(settings);
        assertThat(hookCommands()).as("every hook runs the link found on PATH, not the folder behind it")
                .isNotEmpty().allSatisfy(c -> assertThat(c).startsWith(link + " hook --agent claude-code"));
        assertTracingActive();

        replay("02-main");
        List<ReceivedTrace> first = api.awaitTraces(2, Duration.ofSeconds(60));
        assertThat(first).allSatisfy(t -> assertThat(t.body().path("steps")).isNotEmpty());

        // The upgrade: the new version in a folder of its own, the link repointed in one rename, the
        // old folder gone. Nothing in the project is touched.
        new TestEnv(tmp).awaitDeliveriesDone(Duration.ofSeconds(60));
        Path v2 = UnpackedBundle.unpack(tarball, home.resolve(".local/share/infinium/infinium-next"));
        Path newLink = link.resolveSibling("infinium.new");
        Files.createSymbolicLink(newLink, v2.resolve("bin/infinium"));
        Files.move(newLink, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        deleteTree(v1);
        // A command a person runs builds the new copy's archive now, so no hook starts one in the background.
        UnpackedBundle.Ran version = sh("infinium --version");
        assertThat(version.code()).as(version.toString()).isZero();
        assertThat(version.out()).contains("Jar:     " + v2.resolve("lib/infinium.jar"));
        assertTracingActive();

        replay("03-continue");
        List<ReceivedTrace> all = api.awaitTraces(3, Duration.ofSeconds(60));
        assertThat(all.get(2).body().path("steps").toString()).contains("HARNESS-TURN2");
        assertThat(Files.readAllBytes(settings)).as("the hooks as init wrote them").isEqualTo(hooksAtInit);

        // A bundle that lost its jar names the file and never offers a Maven build: to a person who
        // runs it, and in the hooks' check of `status` (run from another, intact copy).
        new TestEnv(tmp).awaitDeliveriesDone(Duration.ofSeconds(60));
        String missing = v2.resolve("lib/infinium.jar") + " is missing";
        Files.delete(v2.resolve("lib/infinium.jar"));
        UnpackedBundle.Ran broken = sh("infinium --version");
        assertThat(broken.code()).as(broken.toString()).isEqualTo(1);
        assertThat(broken.err()).contains(missing).contains("unpack infinium-<version>.tar.gz").doesNotContain("mvn");
        Path intact = UnpackedBundle.unpack(tarball, tmp.resolve("intact"));
        UnpackedBundle.Ran status = sh(intact.resolve("bin/infinium") + " status");
        assertThat(status.code()).as(status.toString()).isEqualTo(1);
        assertThat(status.out()).contains("NOT TRACING Claude Code: the hooks' command fails (exit 1: infinium: " + missing)
                .doesNotContain("mvn");
    }

    /** Feeds every event of a recorded session to the hook command init installed for it, if any. */
    void replay(String scenario) throws Exception {
        RecordedSession s = Fixtures.claudeCode(tmp, scenario);
        JsonNode hooks = JSON.readTree(project.resolve(".claude/settings.local.json").toFile()).path("hooks");
        int ran = 0;
        for (String f : s.eventFiles()) {
            byte[] payload = s.payload(f, project);
            String event = JSON.readTree(payload).path("hook_event_name").asText();
            for (JsonNode group : hooks.path(event)) {
                for (JsonNode h : group.path("hooks")) {
                    String command = h.path("command").asText();
                    if (command.contains("hook --agent claude-code")) {
                        UnpackedBundle.Ran r = UnpackedBundle.sh(command, project, env, payload, tmp.resolve("io"));
                        assertThat(r.code()).as(event + ": " + r).isZero();
                        assertThat(r.out()).as("a hook prints nothing to the agent").isEmpty();
                        ran++;
                    }
                }
            }
        }
        assertThat(ran).as("hooks run for " + scenario).isPositive();
    }

    List<String> hookCommands() throws Exception {
        JsonNode hooks = JSON.readTree(project.resolve(".claude/settings.local.json").toFile()).path("hooks");
        List<String> out = new java.util.ArrayList<>();
        hooks.forEach(groups -> groups.forEach(g -> g.path("hooks").forEach(h -> {
            if (h.path("command").asText().contains("hook --agent")) {
                out.add(h.path("command").asText());
            }
        })));
        return out;
    }

    void assertTracingActive() throws Exception {
        UnpackedBundle.Ran status = sh("infinium status");
        assertThat(status.code()).as(status.toString()).isZero();
        assertThat(status.out()).contains("Tracing:      active");
    }

    /** Every jar the bundle's jar names in its manifest Class-Path is there, beside it. */
    static void assertManifestClassPathResolves(Path bundle) throws Exception {
        Path jar = bundle.resolve("lib/infinium.jar");
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            String cp = j.getManifest().getMainAttributes().getValue("Class-Path");
            assertThat(cp).as("Class-Path of " + jar).isNotBlank();
            for (String entry : cp.trim().split("\\s+")) {
                assertThat(jar.resolveSibling(entry)).as("Class-Path entry " + entry).isRegularFile();
            }
        }
    }

    /** The .zip beside the tarball, for Windows: the same files under the same top folder. */
    void assertZipHoldsTheSameFiles(Path unpacked) throws Exception {
        Path zip = tarball.resolveSibling(UnpackedBundle.topFolder(tarball) + ".zip");
        List<String> inZip = new java.util.ArrayList<>();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            z.stream().filter(e -> !e.isDirectory()).forEach(e -> inZip.add(e.getName()));
        }
        List<String> unpackedFiles;
        try (Stream<Path> s = Files.walk(unpacked)) {
            unpackedFiles = s.filter(Files::isRegularFile)
                    .map(p -> UnpackedBundle.topFolder(tarball) + "/" + unpacked.relativize(p).toString().replace('\\', '/'))
                    .toList();
        }
        assertThat(inZip).as(zip.toString()).containsExactlyInAnyOrderElementsOf(unpackedFiles)
                .contains(UnpackedBundle.topFolder(tarball) + "/bin/infinium.cmd");
    }

    static List<Path> archivesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("infinium-.*\\.(aot|jsa)")).toList();
        }
    }

    UnpackedBundle.Ran sh(String command) throws Exception {
        return UnpackedBundle.sh(command, project, env, new byte[0], tmp.resolve("io"));
    }

    static void deleteTree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
