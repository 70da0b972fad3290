package ai.infinium.connector.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The release tarball as a user gets it: {@code mvn package} built it in target/, {@code tar}
 * unpacks it (a real process, as a person would) into a folder of the test's choosing, and a
 * {@link #toolPath PATH} holds the tools a machine with only a JDK has, and no Maven.
 */
final class UnpackedBundle {
    /** What the launcher and a hook's shell call; no mvn, no sources, no build tool of any kind. */
    static final List<String> TOOLS = List.of("sh", "bash", "cat", "readlink", "cksum", "tr", "mkdir", "mktemp",
            "touch", "mv", "rm", "tail", "head", "find", "setsid", "env", "ls", "dirname", "tar", "gzip");

    private UnpackedBundle() {}

    /** The tarball failsafe names (pom.xml); failsafe runs after {@code package}, so it must be there. */
    static Path tarball() {
        String name = System.getProperty("infinium.bundle.tarball");
        assertThat(name).as("run through failsafe (mvn verify), which names the tarball in infinium.bundle.tarball")
                .isNotBlank();
        Path p = Path.of(name);
        assertThat(p).as("the bundle `mvn -B -DskipTests package` builds (maven-assembly-plugin, src/assembly/bundle.xml)")
                .isRegularFile();
        return p;
    }

    /** The folder the tarball unpacks to, {@code infinium-<version>}, named by the tarball. */
    static String topFolder(Path tarball) {
        return tarball.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
    }

    /** Unpacks {@code tarball} with tar and moves its top folder to {@code dest}; returns dest. */
    static Path unpack(Path tarball, Path dest) throws IOException, InterruptedException {
        Path scratch = Files.createTempDirectory(Files.createDirectories(dest.toAbsolutePath().getParent()), ".unpack");
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", scratch.toString())
                .redirectErrorStream(true).start();
        tar.getOutputStream().close();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).as("tar finished").isTrue();
        assertThat(tar.exitValue()).as("tar -xzf: " + out).isZero();
        Files.move(scratch.resolve(topFolder(tarball)), dest, StandardCopyOption.ATOMIC_MOVE);
        Files.delete(scratch);
        return dest;
    }

    /**
     * A folder of links to {@link #TOOLS} (found on this machine's PATH) and to the running JDK's
     * java: a PATH for a machine with a JDK and the base system only. Maven may live in /usr/bin
     * beside them, so its folders cannot simply be left out.
     */
    static String toolPath(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String tool : TOOLS) {
            Path found = onPath(tool);
            if (found != null) {
                Files.createSymbolicLink(dir.resolve(tool), found);
            }
        }
        Files.createSymbolicLink(dir.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        return dir.toString();
    }

    private static Path onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, tool);
            if (Files.isExecutable(p) && !Files.isDirectory(p)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    /**
     * Runs {@code command} with {@code /bin/sh -c}, as agents run a hook, {@code stdin} on its input.
     * Its output goes to files in {@code io}, not pipes: a detached worker the hook starts must not
     * keep the test waiting for an end of file.
     */
    static Ran sh(String command, Path cwd, Map<String, String> env, byte[] stdin, Path io)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Files.createDirectories(io);
        Path out = Files.createTempFile(io, "out", ".txt");
        Path err = Files.createTempFile(io, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException closedEarly) {
            // a command that does not read its input: its exit code still says what happened
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 120 s: " + command);
        }
        Ran r = new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    record Ran(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }
}
