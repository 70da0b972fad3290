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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds, or installs once, the pinned Codex CLI the end-to-end tests drive.
 *
 * <p>The install lives in {@code $INFINIUM_TEST_CACHE/codex-<version>} (default cache:
 * {@code $HOME/.cache/infinium-test}) and is reused by every later run. npm installs into a fresh
 * sibling directory that is renamed into place only after the CLI answered {@code --version}, so an
 * install killed half-way never passes for a complete one.
 *
 * <p>{@code @openai/codex} is a small Node wrapper; the native binary comes from a platform package
 * it lists as an optional dependency under an npm alias ({@code @openai/codex-linux-x64} =
 * {@code npm:@openai/codex@<version>-linux-x64}, about 400 MB unpacked). Without it the wrapper
 * fails with "Missing optional dependency", so the install forces optional dependencies on even if
 * the user's npm config omits them, and the {@code --version} check proves the binary runs.
 */
public final class CodexBinary {

    public static final String VERSION = "0.169.0";
    static final String PACKAGE = "@openai/codex@" + VERSION;

    /** The wrapper plus its platform binary is about 400 MB unpacked; allow for a slow registry. */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration VERSION_CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final String PARTIAL_PREFIX = "codex-" + VERSION + ".partial-";

    private CodexBinary() {}

    /** The {@code codex} executable (the npm wrapper), installing it first if the cache does not have it. */
    public static synchronized Path executable() throws IOException, InterruptedException {
        Path dir = installDir();
        Path codex = executableIn(dir);
        if (Files.isExecutable(codex)) {
            return codex;
        }
        install(dir);
        return codex;
    }

    /** Where the pinned version is (or will be) installed. */
    public static Path installDir() {
        String cache = System.getenv("INFINIUM_TEST_CACHE");
        String home = System.getenv("HOME");
        Path root = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache",
                        "infinium-test");
        return root.toAbsolutePath().resolve("codex-" + VERSION);
    }

    private static Path executableIn(Path dir) {
        return dir.resolve("node_modules").resolve(".bin").resolve("codex");
    }

    private static void install(Path dir) throws IOException, InterruptedException {
        Path parent = dir.getParent();
        Files.createDirectories(parent);
        removeAbandonedPartials(parent);
        Path partial = Files.createTempDirectory(parent, PARTIAL_PREFIX);
        try {
            Path log = partial.resolve("npm-install.log");
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--include=optional", "--prefix",
                    partial.toString(), PACKAGE), parent, Map.of(), log, INSTALL_TIMEOUT, "npm install " + PACKAGE);
            checkVersion(partial);
            moveIntoPlace(partial, dir);
        } finally {
            deleteTree(partial); // no-op after a successful move
        }
    }

    /**
     * Runs {@code codex --version}. Even that writes helper links under {@code $CODEX_HOME/tmp}, so
     * it gets a throwaway CODEX_HOME: the developer's {@code ~/.codex} is never touched.
     */
    private static void checkVersion(Path partial) throws IOException, InterruptedException {
        Path codexHome = Files.createDirectories(partial.resolve("version-check-codex-home"));
        Path versionLog = partial.resolve("codex-version.log");
        run(List.of(executableIn(partial).toString(), "--version"), partial, Map.of("CODEX_HOME", codexHome.toString()),
                versionLog, VERSION_CHECK_TIMEOUT, "codex --version");
        deleteTree(codexHome);
        String version = Files.readString(versionLog, StandardCharsets.UTF_8);
        if (!version.contains("codex-cli " + VERSION)) {
            throw new IOException("installed codex reports '" + version.strip() + "', expected " + VERSION);
        }
    }

    /** Renames the finished install; if a run in another JVM got there first, its copy wins. */
    private static void moveIntoPlace(Path partial, Path dir) throws IOException {
        try {
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (!Files.isExecutable(executableIn(dir))) {
                throw new IOException(dir + " exists but holds no codex executable; delete it and retry", e);
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
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(what + " did not finish within " + timeout + "\n" + tail(log));
            }
            if (process.exitValue() != 0) {
                throw new IOException(what + " exited with " + process.exitValue() + "\n" + tail(log));
            }
        } finally {
            if (process.isAlive()) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Deletes partial installs left by a killed run. Only ones older than the install timeout: a
     * younger one may belong to a run in another JVM that is still installing.
     */
    private static void removeAbandonedPartials(Path parent) throws IOException {
        Instant cutoff = Instant.now().minus(INSTALL_TIMEOUT.multipliedBy(2));
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(PARTIAL_PREFIX)).toList()) {
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
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        if (tail.contains("Missing optional dependency")) {
            tail += "\n(the platform package @openai/codex-<os>-<arch> did not install: check npm's 'omit' config)";
        }
        return tail;
    }

    private static void deleteTree(Path root) throws IOException {
        Objects.requireNonNull(root, "root");
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
