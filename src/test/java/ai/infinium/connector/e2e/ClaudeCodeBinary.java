package ai.infinium.connector.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds, or installs once, the pinned Claude Code CLI the end-to-end tests drive.
 *
 * <p>The install lives in {@code $INFINIUM_TEST_CACHE/claude-code-<version>} (default cache:
 * {@code $HOME/.cache/infinium-test}) and is reused by every later run. npm installs into a fresh
 * sibling directory that is renamed into place only after the CLI answered {@code --version}, so an
 * install killed half-way never passes for a complete one.
 */
public final class ClaudeCodeBinary {

    public static final String VERSION = "2.1.330";
    static final String PACKAGE = "@anthropic-ai/claude-code@" + VERSION;

    /** The package plus its platform binary is about 380 MB; allow for a slow registry. */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration VERSION_CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final String PARTIAL_PREFIX = "claude-code-" + VERSION + ".partial-";

    private ClaudeCodeBinary() {}

    /** The {@code claude} executable, installing it first if the cache does not have it. */
    public static synchronized Path executable() throws IOException, InterruptedException {
        Path dir = installDir();
        Path claude = executableIn(dir);
        if (Files.isExecutable(claude)) {
            return claude;
        }
        install(dir);
        return claude;
    }

    /** Where the pinned version is (or will be) installed. */
    public static Path installDir() {
        String cache = System.getenv("INFINIUM_TEST_CACHE");
        String home = System.getenv("HOME");
        Path root = cache != null && !cache.isBlank()
                ? Path.of(cache)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cache",
                        "infinium-test");
        return root.toAbsolutePath().resolve("claude-code-" + VERSION);
    }

    private static Path executableIn(Path dir) {
        return dir.resolve("node_modules").resolve(".bin").resolve("claude");
    }

    private static void install(Path dir) throws IOException, InterruptedException {
        Path parent = dir.getParent();
        Files.createDirectories(parent);
        removeAbandonedPartials(parent);
        Path partial = Files.createTempDirectory(parent, PARTIAL_PREFIX);
        try {
            Path log = partial.resolve("npm-install.log");
            run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", partial.toString(), PACKAGE),
                    parent, log, INSTALL_TIMEOUT, "npm install " + PACKAGE);
            // The wrapper's postinstall puts the native binary in place; check it really runs.
            Path versionLog = partial.resolve("claude-version.log");
            run(List.of(executableIn(partial).toString(), "--version"), partial, versionLog, VERSION_CHECK_TIMEOUT,
                    "claude --version");
            String version = Files.readString(versionLog, StandardCharsets.UTF_8);
            if (!version.contains(VERSION)) {
                throw new IOException("installed claude reports '" + version.strip() + "', expected " + VERSION);
            }
            moveIntoPlace(partial, dir);
        } finally {
            deleteTree(partial); // no-op after a successful move
        }
    }

    /** Renames the finished install; if a run in another JVM got there first, its copy wins. */
    private static void moveIntoPlace(Path partial, Path dir) throws IOException {
        try {
            Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (!Files.isExecutable(executableIn(dir))) {
                throw new IOException(dir + " exists but holds no claude executable; delete it and retry", e);
            }
        }
    }

    /**
     * Runs a command with its output in {@code log} (a file, not a pipe, so a chatty npm can never
     * block on a full pipe) and fails with the log's tail on a non-zero exit or timeout.
     */
    private static void run(List<String> command, Path cwd, Path log, Duration timeout, String what)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .directory(cwd.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
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
                FileTime modified = Files.getLastModifiedTime(p);
                if (modified.toInstant().isBefore(cutoff)) {
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
