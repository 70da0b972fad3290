package ai.infinium.connector.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Finds, or installs once, the pinned {@code @elastic/mockotlpserver}, the real OTLP receiver the
 * exporter's end-to-end tests send to: {@code $INFINIUM_TEST_CACHE/mockotlpserver-<version>}, see
 * {@link NpmCliCache}.
 *
 * <p>Its bin, {@code mockotlpserver} (lib/cli.js), has no {@code --version}, so an install is proved
 * by its {@code package.json} version plus {@code --help} exiting 0: cli.js requires the whole
 * server (protobufjs and the OTLP protos included) before it parses options, so a help that prints
 * means the module graph loads on this Node. {@link OtlpReceiver} does not run the bin itself (it
 * cannot be told its ports), but the package's library API; see there.
 */
public final class MockOtlpServerBinary {

    public static final String VERSION = "0.10.0";
    static final String PACKAGE = "@elastic/mockotlpserver";

    private static final Duration HELP_TIMEOUT = Duration.ofSeconds(30);

    private static final NpmCliCache CACHE = new NpmCliCache(PACKAGE, VERSION, "mockotlpserver", List.of(),
            MockOtlpServerBinary::check);

    private MockOtlpServerBinary() {}

    /** The {@code mockotlpserver} bin, installing the package first if the cache lacks it. */
    public static Path executable() throws IOException, InterruptedException {
        return CACHE.executable();
    }

    /** The installed package's own directory, for {@code require()} of its library API. */
    public static Path packageDir() throws IOException, InterruptedException {
        executable();
        return packageDirIn(CACHE.installDir());
    }

    private static Path packageDirIn(Path install) {
        return install.resolve("node_modules").resolve("@elastic").resolve("mockotlpserver");
    }

    private static void check(Path install, Path bin) throws IOException, InterruptedException {
        Path packageJson = packageDirIn(install).resolve("package.json");
        String installed = new ObjectMapper().readTree(packageJson.toFile()).path("version").asText();
        if (!VERSION.equals(installed)) {
            throw new IOException("npm installed " + PACKAGE + " " + installed + ", expected " + VERSION);
        }
        Path log = install.resolve("mockotlpserver-help.log");
        Process help = new ProcessBuilder(bin.toString(), "--help")
                .directory(install.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        if (!ProcessTree.awaitExit(help, HELP_TIMEOUT)) {
            throw new IOException("mockotlpserver --help did not finish within " + HELP_TIMEOUT);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (help.exitValue() != 0 || !output.contains("mockotlpserver [OPTIONS]")) {
            throw new IOException("mockotlpserver --help exited " + help.exitValue() + ":\n" + output);
        }
    }
}
