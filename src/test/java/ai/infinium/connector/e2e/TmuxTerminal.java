package ai.infinium.connector.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * One program running in a real terminal: a pane of a private tmux server (its own socket, no
 * config file), which a test types into ({@link #type}, {@link #press}) and reads the screen of
 * ({@link #screen}), as a person at the keyboard would.
 *
 * <p>Why tmux rather than a pseudo-terminal of our own: a full-screen TUI (Claude Code draws with
 * Ink) redraws parts of the screen with cursor moves and erases, so the bytes it writes are not
 * what the screen shows; tmux is a complete terminal emulator, and {@code capture-pane} gives the
 * screen as a person sees it. Java has no pty API either, so a pty of our own would need native
 * code or a helper such as {@code script}, and still an emulator to read its output.
 *
 * <p>The server is started with exactly the program's environment (tmux hands its own to the
 * pane), with {@code remain-on-exit} on, so the program's exit status can be read after it exited
 * ({@link #exitStatus}). {@link #close} kills the server and whatever the program left running.
 */
final class TmuxTerminal implements AutoCloseable {

    /** What one tmux client call (send-keys, capture-pane) may take; they return at once. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 100;
    private static final String TARGET = "agent";

    private final Path socket;
    private final Path scratch;
    private final Map<String, String> environment;
    private final long serverPid;
    private final long programPid;

    private TmuxTerminal(Path socket, Path scratch, Map<String, String> environment, long serverPid, long programPid) {
        this.socket = socket;
        this.scratch = scratch;
        this.environment = environment;
        this.serverPid = serverPid;
        this.programPid = programPid;
    }

    /**
     * Starts {@code command} in {@code cwd} in a {@code columns} × {@code rows} terminal of a new
     * tmux server listening on {@code socket}. Fails, saying so, if tmux is not installed.
     *
     * @param environment the program's whole environment (tmux adds TERM, TMUX and TMUX_PANE)
     * @param scratch     a directory for the tmux clients' output
     */
    static TmuxTerminal start(Path socket, Path scratch, Path cwd, Map<String, String> environment, List<String> command,
            int columns, int rows) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";",
                "new-session", "-d", "-s", TARGET, "-x", String.valueOf(columns), "-y", String.valueOf(rows),
                "-c", cwd.toString()));
        if (command.size() == 1) {
            args.add("env"); // tmux hands a lone word to a shell; env execs it as it is, spaces and all
        }
        args.addAll(command);
        try {
            tmux(socket, scratch, environment, args);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Cannot run program \"tmux\"")) {
                throw new AssertionError("tmux is not installed: the interactive end-to-end tests drive the agent in "
                        + "a tmux terminal (.ci/run installs it: apt-get install tmux)", e);
            }
            throw e;
        }
        String pids = "";
        try {
            pids = tmux(socket, scratch, environment, List.of("display-message", "-p", "-t", TARGET, "#{pid} #{pane_pid}"));
            String[] both = pids.strip().split(" ");
            return new TmuxTerminal(socket, scratch, environment, Long.parseLong(both[0]), Long.parseLong(both[1]));
        } catch (IOException | RuntimeException e) {
            tmux(socket, scratch, environment, List.of("kill-server"));
            throw new IOException("tmux did not report its pids: " + pids, e);
        }
    }

    /** Types {@code text} literally (no key names), as one burst of keystrokes. */
    void type(String text) throws IOException, InterruptedException {
        tmux(List.of("send-keys", "-t", TARGET, "-l", text));
    }

    /** Presses keys by tmux name, one after another: {@code Enter}, {@code Down}, {@code C-c}. */
    void press(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", TARGET));
        args.addAll(List.of(keys));
        tmux(args);
    }

    /**
     * Presses {@code key} and awaits {@code after}, at most {@code max}; presses it again, each
     * {@code unanswered}, while the screen is still exactly the one it was pressed on. For the
     * first key a program gets: one drawn but still setting up its input can drop it (seen with
     * Codex 0.169.0's hook review dialog on a loaded machine), and a key it took always changes
     * the screen. Returns the screen {@code after} held on.
     */
    String pressUntil(String key, String what, Duration max, Duration unanswered, Predicate<String> after)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            String pressedOn = screen();
            press(key);
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            Optional<String> answered = poll(what, left.compareTo(unanswered) < 0 ? left : unanswered,
                    s -> after.test(s) || !s.equals(pressedOn));
            if (answered.isPresent() && after.test(answered.get())) {
                return answered.get();
            }
            if (answered.isPresent()) { // the key was taken: now only wait
                return await(what, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), after);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + max + " (" + key + " pressed, never taken): " + what
                        + "\n--- screen ---\n" + screen());
            }
        }
    }

    /** What the terminal shows now, one line per row, trailing blanks cut. */
    String screen() throws IOException, InterruptedException {
        return tmux(List.of("capture-pane", "-p", "-t", TARGET));
    }

    /** The screen with the scrollback above it; after the program exited, what it printed last. */
    String scrollback() throws IOException, InterruptedException {
        return tmux(List.of("capture-pane", "-p", "-S", "-", "-t", TARGET));
    }

    /**
     * Polls the screen until {@code state} holds, at most {@code max}, and returns that screen.
     * Fails naming {@code what} with the last screen, or with the exit status if the program
     * exited while it was awaited.
     */
    String await(String what, Duration max, Predicate<String> state) throws IOException, InterruptedException {
        Optional<String> screen = poll(what, max, state);
        if (screen.isEmpty()) {
            throw new AssertionError("not within " + max + ": " + what + "\n--- screen ---\n" + screen());
        }
        return screen.get();
    }

    /**
     * Polls the screen until {@code state} holds, at most {@code max}: the screen, or empty if it
     * did not come to that. Fails if the program exits meanwhile.
     */
    Optional<String> poll(String what, Duration max, Predicate<String> state) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            String screen = screen();
            if (state.test(screen)) {
                return Optional.of(screen);
            }
            OptionalInt exited = exitStatus();
            if (exited.isPresent()) {
                throw new AssertionError("the program exited with " + exited.getAsInt() + " while awaiting " + what
                        + "\n--- last output ---\n" + scrollback());
            }
            if (System.nanoTime() > deadline) {
                return Optional.empty();
            }
            Thread.sleep(POLL_MILLIS); // bounded poll: the program draws in its own time
        }
    }

    /** Whether {@code state} holds on every screen polled for {@code span}. */
    boolean holds(Duration span, Predicate<String> state) throws IOException, InterruptedException {
        long end = System.nanoTime() + span.toNanos();
        while (state.test(screen())) {
            if (System.nanoTime() > end) {
                return true;
            }
            Thread.sleep(POLL_MILLIS); // bounded: at most span
        }
        return false;
    }

    /** The program's exit status, or empty while it runs. */
    OptionalInt exitStatus() throws IOException, InterruptedException {
        String[] dead = tmux(List.of("display-message", "-p", "-t", TARGET, "#{pane_dead} #{pane_dead_status}"))
                .strip().split(" ");
        return dead[0].equals("1") && dead.length == 2 ? OptionalInt.of(Integer.parseInt(dead[1])) : unreapedExit();
    }

    /**
     * The exit status of a program that exited but that tmux has not reaped. tmux 3.3a started from
     * the test's JVM now and then misses the pane process's exit: no SIGCHLD shows in its log, the
     * process stays a zombie and the pane never turns dead. A zombie's status is in {@code
     * /proc/<pid>/stat} (field 52, as waitpid reports it).
     */
    private OptionalInt unreapedExit() throws IOException {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", String.valueOf(programPid), "stat"));
        } catch (NoSuchFileException gone) {
            return OptionalInt.empty(); // reaped: tmux marks the pane dead in a moment
        }
        // pid (comm) state ...: the command may hold spaces and parentheses, the fields after it do not.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split(" ");
        if (!fields[0].equals("Z") || fields.length < 50) {
            return OptionalInt.empty();
        }
        int status = Integer.parseInt(fields[49]);
        return OptionalInt.of((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f));
    }

    /** Waits at most {@code max} for the program to exit and returns its exit status. */
    int awaitExit(String what, Duration max) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            OptionalInt exited = exitStatus();
            if (exited.isPresent()) {
                return exited.getAsInt();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the program did not exit within " + max + " after " + what
                        + "\n--- still running ---\n" + processes() + "\n--- screen ---\n" + screen());
            }
            Thread.sleep(POLL_MILLIS); // bounded poll, as above
        }
    }

    /** The program and its descendants, one {@code pid command line} a line. */
    private String processes() {
        StringBuilder out = new StringBuilder();
        ProcessHandle.of(programPid).ifPresent(p -> Stream.concat(Stream.of(p), p.descendants()).forEach(d ->
                out.append(d.pid()).append(' ').append(d.info().commandLine().orElse("?")).append('\n')));
        return out.length() == 0 ? "(nothing)" : out.toString();
    }

    /**
     * Kills the tmux server, then the program and everything it started if they outlived it (the
     * server hangs the pane up, which a program may ignore). A program that exited on its own keeps
     * whatever it detached, as it would in a person's terminal.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            tmux(List.of("kill-server"));
        } catch (IOException | AssertionError e) {
            // Already gone, or hung: the pids below are killed either way.
        }
        for (long pid : new long[] {programPid, serverPid}) {
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            if (process.isPresent()) {
                process.get().descendants().forEach(ProcessHandle::destroyForcibly);
                process.get().destroyForcibly();
            }
        }
        Files.deleteIfExists(socket);
    }

    private String tmux(List<String> args) throws IOException, InterruptedException {
        return tmux(socket, scratch, environment, args);
    }

    /** One tmux client call against the server on {@code socket}; returns what it printed. */
    private static String tmux(Path socket, Path scratch, Map<String, String> environment, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", "/dev/null"));
        command.addAll(args);
        // A file, not a pipe: a bounded wait needs nothing to read while the client runs.
        Path out = Files.createTempFile(scratch, "tmux-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!ProcessTree.awaitExit(process, CLIENT_TIMEOUT)) {
                throw new AssertionError("tmux did not answer within " + CLIENT_TIMEOUT + ": " + String.join(" ", command));
            }
            String printed = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IOException("tmux exited " + process.exitValue() + ": " + String.join(" ", command) + "\n" + printed);
            }
            return printed;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
