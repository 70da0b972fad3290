package ai.infinium.connector.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A pinned npm package whose CLI the end-to-end tests drive ({@link ClaudeCodeBinary}, {@link
 * CodexBinary}), found in or installed once into the test cache.
 *
 * <p>The install lives in {@code $INFINIUM_TEST_CACHE/<name>-<version>} (default cache: {@code
 * $HOME/.cache/infinium-test}; the name is the package's without its scope) and is reused by every
 * later run. npm installs into a fresh sibling directory that is renamed into place only after the
 * CLI passed its {@link InstallCheck}, so an install killed half-way never passes for a complete one.
 */
final class NpmCliCache {

    /**
     * Proves a finished install really runs before it is moved into place, typically with {@link
     * #versionOutput}; throws to reject it.
     */
    @FunctionalInterface
    interface InstallCheck {
        void check(Path install, Path executable) throws IOException, InterruptedException;
    }

    /** Each package plus its platform binary is about 400 MB unpacked; allow for a slow registry. */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration VERSION_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private final String packageName;
    private final String version;
    private final String binary;
    private final List<String> npmOptions;
    private final InstallCheck check;

    /**
     * @param packageName e.g. {@code @openai/codex}
     * @param binary      the executable's name in {@code node_modules/.bin}
     * @param npmOptions  options for {@code npm install} beyond the defaults
     */
    NpmCliCache(String packageName, String version, String binary, List<String> npmOptions, InstallCheck check) {
        this.packageName = packageName;
        this.version = version;
        this.binary = binary;
        this.npmOptions = List.copyOf(npmOptions);
        this.check = check;
    }

    /** What npm installs: {@code <package>@<version>}. */
    private String spec() {
        return packageName + "@" + version;
    }

    /** The executable, installing the package first if the cache does not have it. */
    synchronized Path executable() throws IOException, InterruptedException {
        Path dir = installDir();
        Path executable = executableIn(dir);
        if (!Files.isExecutable(executable)) {
            install(dir);
        }
        return executable;
    }

    /** Where the pinned version is (or will be) installed. */
    Path installDir() {
        String cache = System.getenv("INFINIUM_TEST_CACHE");
        String home = System.getenv("HOME");
        Path root = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache",
                        "infinium-test");
        return root.toAbsolutePath().resolve(dirName());
    }

    /**
     * Runs {@code <executable> --version} in {@code install} with {@code extraEnv} and returns what
     * it printed, failing on a non-zero exit or timeout.
     */
    String versionOutput(Path install, Path executable, Map<String, String> extraEnv)
            throws IOException, InterruptedException {
        Path log = install.resolve(binary + "-version.log");
        run(List.of(executable.toString(), "--version"), install, extraEnv, log, VERSION_CHECK_TIMEOUT,
                binary + " --version");
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Rejects an install whose version output does not contain {@code expected}. */
    void expectVersion(String output, String expected) throws IOException {
        if (!output.contains(expected)) {
            throw new IOException("installed " + binary + " reports '" + output.strip() + "', expected " + version);
        }
    }

    private String dirName() {
        return packageName.substring(packageName.lastIndexOf('/') + 1) + "-" + version;
    }

    private Path executableIn(Path dir) {
        return dir.resolve("node_modules").resolve(".bin").resolve(binary);
    }

    private void install(Path dir) throws IOException, InterruptedException {
        Path parent = dir.getParent();
        Files.createDirectories(parent);
        String partialPrefix = dirName() + ".partial-";
        removeAbandonedPartials(parent, partialPrefix);
        Path partial = Files.createTempDirectory(parent, partialPrefix);
        try {
            List<String> command = new ArrayList<>(List.of("npm", "install", "--no-audit", "--no-fund"));
            command.addAll(npmOptions);
            command.addAll(List.of("--prefix", partial.toString(), spec()));
            run(command, parent, Map.of(), partial.resolve("npm-install.log"), INSTALL_TIMEOUT, "npm install " + spec());
            check.check(partial, executableIn(partial));
            moveIntoPlace(partial, dir);
        } finally {
            deleteTree(partial); // no-op after a successful move
        }
    }

    /** Renames the finished install; if a run in another JVM got there first, its copy wins. */
    private void moveIntoPlace(Path partial, Path dir) throws IOException {
        try {
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (!Files.isExecutable(executableIn(dir))) {
                throw new IOException(dir + " exists but holds no " + binary + " executable; delete it and retry", e);
            }
        }
    }

    /**
     * Runs a command with its output in {@code log} (a file, not a pipe, so a chatty npm can never
     * block on a full pipe) and fails with the log's tail on a non-zero exit or timeout. The
     * environment is inherited (npm needs the user's registry settings) plus {@code extraEnv}.
     */
    private static void run(List<String> command, Path cwd, Map<String, String> extraEnv, Path log, Duration timeout,
            String what) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(extraEnv);
        Process process = builder.start();
        if (!ProcessTree.awaitExit(process, timeout)) {
            throw new IOException(what + " did not finish within " + timeout + "\n" + tail(log));
        }
        if (process.exitValue() != 0) {
            throw new IOException(what + " exited with " + process.exitValue() + "\n" + tail(log));
        }
    }

    /**
     * Deletes partial installs left by a killed run. Only ones older than twice the install timeout:
     * a younger one may belong to a run in another JVM that is still installing.
     */
    private static void removeAbandonedPartials(Path parent, String partialPrefix) throws IOException {
        Instant cutoff = Instant.now().minus(INSTALL_TIMEOUT.multipliedBy(2));
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(partialPrefix)).toList()) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no output)";
        }
        // Decoded leniently: a tool's output is not guaranteed to be valid UTF-8.
        List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
