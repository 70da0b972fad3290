package ai.infinium.connector.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Finds, or installs once, the pinned Codex CLI the end-to-end tests drive: {@code
 * $INFINIUM_TEST_CACHE/codex-<version>}, see {@link NpmCliCache}.
 *
 * <p>{@code @openai/codex} is a small Node wrapper; the native binary comes from a platform package
 * it lists as an optional dependency under an npm alias ({@code @openai/codex-linux-x64} =
 * {@code npm:@openai/codex@<version>-linux-x64}, about 400 MB unpacked). Without it the wrapper
 * fails with "Missing optional dependency", so the install forces optional dependencies on even if
 * the user's npm config omits them, and the {@code --version} check proves the binary runs.
 */
public final class CodexBinary {

    public static final String VERSION = "0.169.0";

    private static final NpmCliCache CACHE = new NpmCliCache("@openai/codex", VERSION, "codex",
            List.of("--include=optional"), CodexBinary::checkVersion);

    private static final String MISSING_PLATFORM_PACKAGE = "Missing optional dependency";

    private CodexBinary() {}

    /** The {@code codex} executable (the npm wrapper), installing it first if the cache does not have it. */
    public static Path executable() throws IOException, InterruptedException {
        try {
            return CACHE.executable();
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains(MISSING_PLATFORM_PACKAGE)) {
                throw new IOException(e.getMessage() + "\n(the platform package @openai/codex-<os>-<arch> did not"
                        + " install: check npm's 'omit' config)", e);
            }
            throw e;
        }
    }

    /** Where the pinned version is (or will be) installed. */
    public static Path installDir() {
        return CACHE.installDir();
    }

    /**
     * Runs {@code codex --version}. Even that writes helper links under {@code $CODEX_HOME/tmp}, so
     * it gets a throwaway CODEX_HOME: the developer's {@code ~/.codex} is never touched.
     */
    private static void checkVersion(Path install, Path codex) throws IOException, InterruptedException {
        Path codexHome = Files.createDirectories(install.resolve("version-check-codex-home"));
        String version = CACHE.versionOutput(install, codex, Map.of("CODEX_HOME", codexHome.toString()));
        NpmCliCache.deleteTree(codexHome);
        CACHE.expectVersion(version, "codex-cli " + VERSION);
    }
}
