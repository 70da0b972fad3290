package ai.infinium.connector.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Finds, or installs once, the pinned GitHub Copilot CLI the end-to-end tests drive: {@code
 * $INFINIUM_TEST_CACHE/copilot-<version>}, see {@link NpmCliCache}.
 *
 * <p>{@code @github/copilot} is a loader: on first use it unpacks its platform package into
 * {@code $XDG_CACHE_HOME/copilot/pkg/}. The version check runs it with a throwaway home and cache,
 * so the developer's {@code ~/.copilot} and cache are never touched.
 */
public final class CopilotBinary {

    public static final String VERSION = "1.0.102";

    private static final NpmCliCache CACHE = new NpmCliCache("@github/copilot", VERSION, "copilot",
            List.of("--include=optional"), CopilotBinary::checkVersion);

    private CopilotBinary() {}

    /** The {@code copilot} executable (the npm loader), installing it first if the cache does not have it. */
    public static Path executable() throws IOException, InterruptedException {
        return CACHE.executable();
    }

    private static void checkVersion(Path install, Path copilot) throws IOException, InterruptedException {
        Path home = Files.createDirectories(install.resolve("version-check-home"));
        String version = CACHE.versionOutput(install, copilot, Map.of("HOME", home.toString(),
                "XDG_CACHE_HOME", home.resolve("cache").toString(), "COPILOT_HOME", home.resolve("copilot").toString(),
                "COPILOT_AUTO_UPDATE", "false", "COPILOT_OFFLINE", "true"));
        NpmCliCache.deleteTree(home);
        CACHE.expectVersion(version, VERSION);
    }
}
