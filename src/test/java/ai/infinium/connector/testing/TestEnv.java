package ai.infinium.connector.testing;

import ai.infinium.connector.Context;
import ai.infinium.connector.Version;
import ai.infinium.connector.cli.Cli;
import ai.infinium.connector.config.FileSecretStore;
import ai.infinium.connector.config.UserDirs;
import ai.infinium.connector.export.infinium.InfiniumApi;
import ai.infinium.connector.export.otlp.OtlpHttpSender;
import ai.infinium.connector.export.RetryPolicy;
import ai.infinium.connector.hook.HookCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An isolated user for in-process tests: its own HOME, XDG dirs and session dir under a temp
 * folder, and an exporter whose retry backoff is milliseconds instead of seconds.
 */
public final class TestEnv {
    public final Path root;
    private final Map<String, String> env = new HashMap<>();

    public TestEnv(Path root) {
        this.root = root;
        env.put("HOME", root.resolve("home").toString());
        env.put("XDG_CONFIG_HOME", root.resolve("config").toString());
        env.put("XDG_STATE_HOME", root.resolve("state").toString());
        env.put("XDG_CACHE_HOME", root.resolve("cache").toString());
        env.put("CONNECTOR_SESSION_DIR", root.resolve("sessions").toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        // A server one of this user's hooks starts must not meet another test's (or a person's) port,
        // and must not outlive the test run by long.
        env.put("INFINIUM_SERVER_PORT", String.valueOf(FreePort.find()));
        env.put("INFINIUM_SERVER_IDLE_TIMEOUT", "120");
    }

    public TestEnv with(String key, String value) {
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
        return this;
    }

    /** Sets the agent id, secret and base URL so traces go to this stand-in for the API. */
    public TestEnv sendingTo(FakeInfiniumApi api) {
        return with("INFINIUM_AGENT_ID", api.agentId()).with("INFINIUM_AGENT_SECRET", api.agentSecret())
                .with("INFINIUM_BASE_URL", api.baseUrl());
    }

    public Map<String, String> env() {
        return Map.copyOf(env);
    }

    public UserDirs dirs() {
        return new UserDirs(env);
    }

    public static RetryPolicy fastRetry() {
        return new RetryPolicy(3, Duration.ofMillis(5), Duration.ofMillis(20), 0.25, Duration.ofSeconds(3),
                Duration.ofMillis(10), Duration.ofSeconds(2));
    }

    /**
     * Tests talk to loopback only: a request for any other host (the built-in base URL, say) goes
     * to a proxy port where nothing listens, and fails at once instead of reaching the internet.
     */
    static final java.net.ProxySelector LOOPBACK_ONLY = new java.net.ProxySelector() {
        @Override
        public java.util.List<java.net.Proxy> select(java.net.URI uri) {
            String host = uri.getHost();
            if (host != null && (host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]"))) {
                return java.util.List.of(java.net.Proxy.NO_PROXY);
            }
            return java.util.List.of(new java.net.Proxy(java.net.Proxy.Type.HTTP,
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9)));
        }

        @Override
        public void connectFailed(java.net.URI uri, java.net.SocketAddress sa, IOException ioe) {
            // nothing to learn: the failure is the point
        }
    };

    public Context context() {
        InfiniumApi exporter = new InfiniumApi(HttpClient.newBuilder().proxy(LOOPBACK_ONLY).build(), fastRetry(),
                d -> Thread.sleep(d.toMillis()), new Random(7), Version.get());
        OtlpHttpSender otlp = new OtlpHttpSender(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .proxy(LOOPBACK_ONLY).build(), fastRetry(), d -> Thread.sleep(d.toMillis()), new Random(7),
                java.time.Clock.systemUTC(), Version.get());
        return new Context(env, FileSecretStore.inConfigDir(dirs()), exporter, otlp, System::currentTimeMillis);
    }

    /**
     * The flush worker that commands hand delivery to: by default it runs here, synchronously,
     * once the command has done its own part.
     */
    private HookCommand.JvmStarter worker;

    private HookCommand.JvmStarter worker() {
        return worker != null ? worker : args -> {
            Result r = run(root, args.toArray(String[]::new));
            if (r.code() != 0) {
                throw new IOException("flush failed: " + r);
            }
        };
    }

    /** Commands hand delivery to {@code worker} instead (a test's recorder). */
    public TestEnv handingDeliveryTo(HookCommand.JvmStarter worker) {
        this.worker = worker;
        return this;
    }

    /** Runs a CLI command in-process from {@code cwd}. */
    public Result runWithInput(Path cwd, String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                context(), cwd, false, worker()).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public Result run(Path cwd, String... args) {
        return runWithInput(cwd, "", args);
    }

    /** Feeds one payload to the hook in-process; a flush it asks for runs right here, synchronously. */
    public void hook(String agent, byte[] payload) {
        hookFlushingHere(new String[] {"hook", "--agent", agent}, payload);
    }

    /** Feeds one payload to the infinium Claude Code plugin's hook ({@code --via plugin}) in-process; a flush runs here. */
    public void pluginHook(String agent, byte[] payload) {
        hookFlushingHere(new String[] {"hook", "--agent", agent, "--via", "plugin"}, payload);
    }

    private void hookFlushingHere(String[] hookArgs, byte[] payload) {
        HookCommand.run(hookArgs, new ByteArrayInputStream(payload), env, args -> {
            Result r = run(root, args.toArray(String[]::new));
            if (r.code() != 0) {
                throw new IOException("flush failed: " + r);
            }
        });
    }

    /** Feeds one payload to the hook in-process, leaving any flush it asks for undone. */
    public void hookWithoutFlush(String agent, byte[] payload) {
        HookCommand.run(new String[] {"hook", "--agent", agent}, new ByteArrayInputStream(payload), env, args -> { });
    }

    /**
     * Waits, at most {@code max}, until detached flush workers are done: no worker of this user's
     * sessions is running and the outbox is empty.
     */
    public void awaitDeliveriesDone(java.time.Duration max) throws InterruptedException, IOException {
        Path outbox = dirs().state().resolve("outbox");
        String sessions = dirs().sessions().toString();
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            boolean empty;
            try (java.util.stream.Stream<Path> s = java.nio.file.Files.exists(outbox) ? java.nio.file.Files.list(outbox)
                    : java.util.stream.Stream.empty()) {
                empty = s.noneMatch(p -> p.toString().endsWith(".json"));
            }
            boolean workers = ProcessHandle.allProcesses()
                    .anyMatch(p -> p.info().commandLine().orElse("").contains(sessions));
            if (empty && !workers) {
                return;
            }
            Thread.sleep(100); // bounded poll: the workers are other processes
        }
        throw new AssertionError("flush workers still busy or outbox not empty after " + max);
    }

    /**
     * Waits, at most {@code max}, until no process runs with this environment's state folder
     * (detached flush workers, a {@code flush --stale} whose command line names no session, the
     * server, hooks and the agents given this environment), read from {@code /proc/<pid>/environ}
     * on Linux; then kills what is left and returns it as {@code pid command} lines. A test's temp
     * folder cannot be deleted while one of them still writes into it.
     */
    public List<String> awaitOwnProcessesGone(java.time.Duration max) throws IOException, InterruptedException {
        byte[] marker = ("XDG_STATE_HOME=" + env.get("XDG_STATE_HOME") + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + max.toNanos();
        List<ProcessHandle> left = processesWith(marker);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100); // bounded poll: they are other processes
            left = processesWith(marker);
        }
        List<String> killed = new java.util.ArrayList<>();
        for (ProcessHandle p : left) {
            killed.add(p.pid() + " " + p.info().commandLine().orElse("?"));
            p.destroyForcibly();
        }
        return killed;
    }

    private static List<ProcessHandle> processesWith(byte[] marker) {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != self && p.isAlive()).filter(p -> {
            try {
                byte[] environ = java.nio.file.Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "environ"));
                return indexOf(environ, marker) >= 0;
            } catch (IOException | RuntimeException gone) {
                return false; // exited meanwhile, or not ours to read (another user's, no /proc)
            }
        }).toList();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    public record Result(int code, String out, String err) {}
}
