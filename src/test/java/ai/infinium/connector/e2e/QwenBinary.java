package ai.infinium.connector.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Finds, or installs once, the pinned Qwen Code CLI the end-to-end tests drive: {@code
 * $INFINIUM_TEST_CACHE/qwen-code-<version>}, see {@link NpmCliCache}. Its package asks for Node
 * 22 but runs on Node 20; npm only warns.
 */
public final class QwenBinary {

    public static final String VERSION = "0.24.4";

    private static final NpmCliCache CACHE = new NpmCliCache("@qwen-code/qwen-code", VERSION, "qwen", List.of(),
            QwenBinary::checkVersion);

    private QwenBinary() {}

    public static Path executable() throws IOException, InterruptedException {
        return CACHE.executable();
    }

    /** {@code qwen --version} with a throwaway HOME: the developer's {@code ~/.qwen} is never touched. */
    private static void checkVersion(Path install, Path qwen) throws IOException, InterruptedException {
        Path home = Files.createDirectories(install.resolve("version-check-home"));
        String version = CACHE.versionOutput(install, qwen, Map.of("HOME", home.toString()));
        NpmCliCache.deleteTree(home);
        CACHE.expectVersion(version, VERSION);
    }
}
