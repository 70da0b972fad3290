package ai.infinium.connector.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Finds, or installs once, the pinned Gemini CLI the end-to-end tests drive: {@code
 * $INFINIUM_TEST_CACHE/gemini-cli-<version>}, see {@link NpmCliCache}.
 */
public final class GeminiBinary {

    public static final String VERSION = "0.61.0";

    private static final NpmCliCache CACHE = new NpmCliCache("@google/gemini-cli", VERSION, "gemini", List.of(),
            GeminiBinary::checkVersion);

    private GeminiBinary() {}

    public static Path executable() throws IOException, InterruptedException {
        return CACHE.executable();
    }

    /** {@code gemini --version} with a throwaway HOME: the developer's {@code ~/.gemini} is never touched. */
    private static void checkVersion(Path install, Path gemini) throws IOException, InterruptedException {
        Path home = Files.createDirectories(install.resolve("version-check-home"));
        String version = CACHE.versionOutput(install, gemini, Map.of("HOME", home.toString()));
        NpmCliCache.deleteTree(home);
        CACHE.expectVersion(version, VERSION);
    }
}
