package ai.infinium.connector.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Finds, or installs once, the pinned Claude Code CLI the end-to-end tests drive: {@code
 * $INFINIUM_TEST_CACHE/claude-code-<version>}, see {@link NpmCliCache}.
 */
public final class ClaudeCodeBinary {

    public static final String VERSION = "2.1.330";

    private static final NpmCliCache CACHE =
            new NpmCliCache("@anthropic-ai/claude-code", VERSION, "claude", List.of(), ClaudeCodeBinary::checkVersion);

    private ClaudeCodeBinary() {}

    /** The {@code claude} executable, installing it first if the cache does not have it. */
    public static Path executable() throws IOException, InterruptedException {
        return CACHE.executable();
    }

    /** Where the pinned version is (or will be) installed. */
    public static Path installDir() {
        return CACHE.installDir();
    }

    /** The wrapper's postinstall puts the native binary in place; check it really runs. */
    private static void checkVersion(Path install, Path claude) throws IOException, InterruptedException {
        CACHE.expectVersion(CACHE.versionOutput(install, claude, Map.of()), VERSION);
    }
}
