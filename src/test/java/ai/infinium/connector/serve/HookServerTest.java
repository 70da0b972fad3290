package ai.infinium.connector.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.config.ServerToken;
import ai.infinium.connector.hook.HookCommand;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server's protocol and its guard: a real {@link HookServer} (through {@link ServerProcess})
 * on an ephemeral loopback port, spoken to over raw sockets so every header is the test's choice.
 */
class HookServerTest {
    static final ObjectMapper JSON = ai.infinium.connector.spool.LargeJson.mapper();
    static final String SESSION = "7d1f0c2e-55aa-4b1e-9f3a-0c8d2b7e6a11";

    @TempDir Path tmp;
    TestEnv env;
    TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        env = new TestEnv(tmp.resolve("user"));
        server = TestServer.start(env, Duration.ofHours(1));
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
    }

    static byte[] preToolUse(String session, String command) {
        ObjectNode n = JSON.createObjectNode();
        n.put("session_id", session);
        n.put("transcript_path", "/nonexistent/" + session + ".jsonl");
        n.put("cwd", "/tmp/project");
        n.put("permission_mode", "default");
        n.put("hook_event_name", "PreToolUse");
        n.put("tool_name", "Bash");
        // Unicode, escapes and nesting: the compaction must treat both paths' bytes alike.
        n.putObject("tool_input").put("command", command).put("description", "Zeilen zählen — \"quoted\"\ttab")
                .putArray("args").add(1).add(2.5).add(true).addNull();
        n.put("tool_use_id", "toolu_01ABC");
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    Path agentDir(TestEnv e) {
        return e.dirs().sessions().resolve("claude-code");
    }

    Path spool(String session) {
        return agentDir(env).resolve(session + ".jsonl");
    }

    /** Every regular file under the session dir (the spools and anything else written there). */
    List<Path> sessionFiles() throws IOException {
        Path root = env.dirs().sessions();
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            // hidden files are the recorder's own (.stale-scan, append locks), never events
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    long rejected() throws IOException {
        return server.status().path("requests_rejected").asLong();
    }

    static String withoutReceivedAt(String line) {
        return line.replaceFirst("^\\{\"received_at\":\"[^\"]*\"", "{\"received_at\":\"-\"");
    }

    // ---------------------------------------------------------------- 1. a valid request

    @Test
    void validRequestGets200WithEmptyObjectAndWritesTheSameLineAsTheCommandHook() throws Exception {
        byte[] payload = preToolUse(SESSION, "printf 'a\\nb' | wc -l");

        RawHttp.Response r = server.postEvent("claude-code", payload);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{}".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.header("Content-Type")).isEqualTo("application/json");

        TestEnv commandEnv = new TestEnv(tmp.resolve("command-user"));
        commandEnv.hookWithoutFlush("claude-code", payload);
        List<String> viaServer = Files.readAllLines(spool(SESSION), StandardCharsets.UTF_8);
        List<String> viaCommand = Files.readAllLines(agentDir(commandEnv).resolve(SESSION + ".jsonl"),
                StandardCharsets.UTF_8);
        assertThat(viaServer).hasSize(1);
        assertThat(viaCommand).hasSize(1);
        assertThat(viaServer.get(0)).matches("\\{\"received_at\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",.*");
        assertThat(withoutReceivedAt(viaServer.get(0))).isEqualTo(withoutReceivedAt(viaCommand.get(0)));
        assertThat(JSON.readTree(viaServer.get(0)).path("event")).isEqualTo(JSON.readTree(payload));
        assertThat(server.status().path("events_received").asLong()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- 2. who gets in

    static Stream<Arguments> refusedRequests() {
        List<Arguments> cases = new ArrayList<>();
        cases.add(refused("no Authorization", 401, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "127.0.0.1:" + port)));
        cases.add(refused("a wrong token", 401, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "127.0.0.1:" + port).header("Authorization", "Bearer " + "x".repeat(token.length()))));
        cases.add(refused("the token with its last character changed", 401, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "127.0.0.1:" + port).header("Authorization", "Bearer " + lastCharChanged(token))));
        cases.add(refused("the token with a character more", 401, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "127.0.0.1:" + port).header("Authorization", "Bearer " + token + "A")));
        cases.add(refused("Bearer with an empty token", 401, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "127.0.0.1:" + port).header("Authorization", "Bearer ")));
        cases.add(refused("the token without the Bearer scheme", 401, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "127.0.0.1:" + port).header("Authorization", token)));
        cases.add(refused("Host evil.example", 403, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "evil.example:" + port).header("Authorization", "Bearer " + token)));
        cases.add(refused("Host 127.0.0.1 with another port", 403, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "127.0.0.1:" + (port == 65535 ? port - 1 : port + 1))
                .header("Authorization", "Bearer " + token)));
        cases.add(refused("Host localhost.evil.example", 403, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "localhost.evil.example:" + port).header("Authorization", "Bearer " + token)));
        cases.add(refused("Host 127.0.0.1 without the port", 403, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "127.0.0.1").header("Authorization", "Bearer " + token)));
        cases.add(refused("no Host at all", 403, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Authorization", "Bearer " + token)));
        cases.add(refused("an Origin header (a web page)", 403, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "127.0.0.1:" + port).header("Authorization", "Bearer " + token)
                .header("Origin", "http://127.0.0.1:" + port)));
        cases.add(refused("Origin: null (a sandboxed page)", 403, (port, token) -> RawHttp.post("/hook/claude-code")
                .header("Host", "127.0.0.1:" + port).header("Authorization", "Bearer " + token)
                .header("Origin", "null")));
        return cases.stream();
    }

    static Arguments refused(String what, int status, BiFunction<Integer, String, RawHttp.Request> request) {
        return Arguments.of(what, status, request);
    }

    static String lastCharChanged(String token) {
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("refusedRequests")
    void refusedRequestsWriteNothingAndAreCounted(String what, int status,
            BiFunction<Integer, String, RawHttp.Request> request) throws Exception {
        long before = rejected();

        RawHttp.Response r = request.apply(server.port(), server.token())
                .header("Content-Type", "application/json").body(preToolUse(SESSION, "echo refused")).send(server.port());

        assertThat(r.status()).as(what).isEqualTo(status);
        assertThat(r.text()).as("no hint of the token in the answer").doesNotContain(server.token());
        assertThat(sessionFiles()).as("nothing recorded for " + what).isEmpty();
        JsonNode status2 = server.status();
        assertThat(status2.path("requests_rejected").asLong()).isEqualTo(before + 1);
        assertThat(status2.path("events_received").asLong()).isZero();
    }

    @Test
    void refusedStatusAndShutdownRequestsDoNothing() throws Exception {
        RawHttp.Response status = RawHttp.get("/status").header("Host", "127.0.0.1:" + server.port()).send(server.port());
        RawHttp.Response shutdown = RawHttp.post("/shutdown").header("Host", "127.0.0.1:" + server.port())
                .header("Authorization", "Bearer " + lastCharChanged(server.token())).send(server.port());
        RawHttp.Response rebound = RawHttp.post("/shutdown").header("Host", "evil.example:" + server.port())
                .header("Authorization", "Bearer " + server.token()).send(server.port());

        assertThat(status.status()).isEqualTo(401);
        assertThat(status.text()).doesNotContain("events_received");
        assertThat(shutdown.status()).isEqualTo(401);
        assertThat(rebound.status()).isEqualTo(403);
        assertThat(server.status().path("running").asBoolean()).as("still serving").isTrue();
        assertThat(server.isDone()).isFalse();
        assertThat(rejected()).isEqualTo(3);
    }

    @ParameterizedTest(name = "Host {0}")
    @ValueSource(strings = {"localhost:%d", "[::1]:%d", "127.0.0.1:%d", "LOCALHOST:%d"})
    void loopbackHostNamesAreAccepted(String hostPattern) throws Exception {
        String host = String.format(Locale.ROOT, hostPattern, server.port());

        RawHttp.Response r = RawHttp.post("/hook/claude-code").header("Host", host)
                .header("Authorization", "Bearer " + server.token()).header("Content-Type", "application/json")
                .body(preToolUse(SESSION, "echo " + host)).send(server.port());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{}");
        List<String> lines = Files.readAllLines(spool(SESSION));
        assertThat(lines).hasSize(1);
        assertThat(JSON.readTree(lines.get(0)).path("event").path("tool_input").path("command").asText())
                .isEqualTo("echo " + host);
        assertThat(rejected()).isZero();
    }

    @Test
    void clientsThatConnectAndStallDoNotKeepTheHooksOut() throws Exception {
        // Any local process can connect without the token. The JDK reads the request line on the server's
        // executor with no timeout, so each of these holds one of its threads for as long as it likes.
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket(InetAddress.getByName("127.0.0.1"), server.port());
                s.getOutputStream().write(i % 2 == 0 ? "P".getBytes(StandardCharsets.US_ASCII)
                        : ("POST /hook/claude-code HTTP/1.1\r\nHost: 127.0.0.1:" + server.port()
                                + "\r\nContent-Length: 1000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                stalled.add(s);
            }

            java.util.concurrent.CompletableFuture<RawHttp.Response> r = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> {
                        try {
                            return server.postEvent("claude-code", preToolUse(SESSION, "echo still-served"));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });

            // Bounded so a blocked server fails the test instead of hanging it; an answer takes milliseconds.
            assertThat(r.get(RawHttp.READ_TIMEOUT_MS / 3, java.util.concurrent.TimeUnit.MILLISECONDS).status())
                    .isEqualTo(200);
            assertThat(Files.readAllLines(spool(SESSION))).hasSize(1);
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    // ---------------------------------------------------------------- 3. hostile input

    @Test
    void hostileSessionIdStaysInsideTheSessionDirectoryUnderAHashedName() throws Exception {
        String hostile = "../../etc/passwd";

        RawHttp.Response r = server.postEvent("claude-code", preToolUse(hostile, "echo x"));

        assertThat(r.status()).isEqualTo(200);
        String hashed = "h-" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(hostile.getBytes(StandardCharsets.UTF_8)));
        assertThat(sessionFiles()).containsExactly(agentDir(env).resolve(hashed + ".jsonl"));
        assertThat(JSON.readTree(Files.readAllLines(agentDir(env).resolve(hashed + ".jsonl")).get(0))
                .path("event").path("session_id").asText()).as("the id itself is kept in the line").isEqualTo(hostile);
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(Files::isRegularFile).toList())
                    .allMatch(p -> p.startsWith(env.dirs().sessions()) || p.startsWith(env.dirs().state()),
                            "inside the session or state dir");
        }
    }

    @Test
    void malformedJsonIsAnswered200AndKeptAside() throws Exception {
        byte[] bad = "{\"session_id\": \"s1\", \"hook_event_name\": ".getBytes(StandardCharsets.UTF_8);

        RawHttp.Response r = server.postEvent("claude-code", bad);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("{}");
        Path malformed = agentDir(env).resolve("malformed.jsonl");
        assertThat(sessionFiles()).containsExactly(malformed);
        List<String> kept = Files.readAllLines(malformed);
        assertThat(kept).hasSize(1);
        assertThat(JSON.readTree(kept.get(0)).path("raw").asText()).isEqualTo(new String(bad, StandardCharsets.UTF_8));
    }

    @Test
    void emptyBodyRecordsNothing() throws Exception {
        RawHttp.Response empty = server.postEvent("claude-code", new byte[0]);
        RawHttp.Response blank = server.postEvent("claude-code", " \r\n\t".getBytes(StandardCharsets.US_ASCII));

        assertThat(empty.status()).isEqualTo(200);
        assertThat(blank.status()).isEqualTo(200);
        assertThat(sessionFiles()).isEmpty();
        assertThat(Files.readString(env.dirs().state().resolve("infinium.log"))).contains("empty event");
    }

    @Test
    void thirtyMegabyteEventIsRecordedWholeAsOneLine() throws Exception {
        StringBuilder big = new StringBuilder(30 * 1024 * 1024);
        for (int i = 0; big.length() < 30 * 1024 * 1024; i++) {
            big.append("line ").append(i).append(" \"quoted\" \\ ü\n");
        }
        ObjectNode n = (ObjectNode) JSON.readTree(preToolUse(SESSION, "cat big.log"));
        n.put("hook_event_name", "PostToolUse");
        n.putObject("tool_response").put("stdout", big.toString()).put("stderr", "");
        byte[] payload = JSON.writeValueAsBytes(n);
        assertThat(payload.length).isGreaterThan(30 * 1024 * 1024).isLessThan(HookCommand.MAX_PAYLOAD_BYTES);

        RawHttp.Response r = server.postEvent("claude-code", payload);

        assertThat(r.status()).isEqualTo(200);
        byte[] spooled = Files.readAllBytes(spool(SESSION));
        int newlines = 0;
        for (byte b : spooled) {
            newlines += b == '\n' ? 1 : 0;
        }
        assertThat(newlines).as("one line").isEqualTo(1);
        JsonNode line = JSON.readTree(spooled);
        assertThat(line.path("event").path("tool_response").path("stdout").asText()).isEqualTo(big.toString());
        assertThat(line.path("event")).isEqualTo(n);
    }

    static byte[] oversizedEvent() {
        // A valid event, so nothing but its size can be why it is not recorded.
        byte[] head = ("{\"session_id\":\"" + SESSION + "\",\"hook_event_name\":\"PostToolUse\",\"tool_response\":\"")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[HookCommand.MAX_PAYLOAD_BYTES + 1];
        java.util.Arrays.fill(b, (byte) 'x');
        System.arraycopy(head, 0, b, 0, head.length);
        System.arraycopy(tail, 0, b, b.length - tail.length, tail.length);
        return b;
    }

    @Test
    void bodyDeclaredLargerThanTheLimitIsRefusedWith413BeforeItIsSent() throws Exception {
        RawHttp.Response r = server.authorized(RawHttp.post("/hook/claude-code"))
                .declareLengthOnly(HookCommand.MAX_PAYLOAD_BYTES + 1L).send(server.port());

        assertThat(r.status()).isEqualTo(413);
        assertThat(sessionFiles()).isEmpty();
        assertThat(rejected()).isEqualTo(1);
        assertThat(server.status().path("events_received").asLong()).isZero();
    }

    @Test
    void chunkedBodyLargerThanTheLimitIsRefusedWith413() throws Exception {
        RawHttp.Response r = server.authorized(RawHttp.post("/hook/claude-code")).chunked().body(oversizedEvent())
                .send(server.port());

        assertThat(r.status()).isEqualTo(413);
        assertThat(sessionFiles()).isEmpty();
        assertThat(rejected()).isEqualTo(1);
        assertThat(server.status().path("events_received").asLong()).isZero();
    }

    @Test
    void chunkedBodyWithinTheLimitIsRecorded() throws Exception {
        RawHttp.Response r = server.authorized(RawHttp.post("/hook/claude-code")).chunked()
                .body(preToolUse(SESSION, "echo chunked")).send(server.port());

        assertThat(r.status()).isEqualTo(200);
        assertThat(Files.readAllLines(spool(SESSION))).hasSize(1);
    }

    @ParameterizedTest(name = "agent segment {0}")
    @ValueSource(strings = {"..%2F..", "a/b", "..", ".hidden", "%2e%2e", "claude-code%2F..%2F..%2Fescape", "a%00b"})
    void agentSegmentThatIsNotAPlainNameIsRefused(String segment) throws Exception {
        RawHttp.Response r = server.authorized(RawHttp.post("/hook/" + segment)).header("Content-Type", "application/json")
                .body(preToolUse(SESSION, "echo x")).send(server.port());

        assertThat(r.status()).isEqualTo(404);
        assertThat(sessionFiles()).isEmpty();
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".jsonl")).toList())
                    .as("no spool anywhere").isEmpty();
        }
        assertThat(server.status().path("events_received").asLong()).isZero();
    }

    @Test
    void getOnAHookPathIs405() throws Exception {
        RawHttp.Response r = server.authorized(RawHttp.get("/hook/x")).send(server.port());

        assertThat(r.status()).isEqualTo(405);
        assertThat(sessionFiles()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.CsvSource({"GET,/", "GET,/nope", "POST,/hooks/claude-code", "POST,/hook/",
            "GET,/shutdown", "POST,/status"})
    void unknownEndpointIs404(String method, String path) throws Exception {
        RawHttp.Response r = server.authorized(new RawHttp.Request(method, path)).send(server.port());

        assertThat(r.status()).isEqualTo(404);
        assertThat(sessionFiles()).isEmpty();
        assertThat(server.isDone()).as("GET /shutdown did not stop it").isFalse();
    }

    // ---------------------------------------------------------------- 4. loopback only

    /**
     * Local addresses of listening TCP sockets on {@code port}, from the kernel's tables (Linux), as
     * the kernel's hex; an IPv4-mapped IPv6 address (Java's dual-stack sockets) as its IPv4 part.
     */
    static List<String> listeners(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            Path t = Path.of(table);
            if (!Files.isReadable(t)) {
                continue;
            }
            List<String> rows = Files.readAllLines(t);
            for (String l : rows.subList(1, rows.size())) {
                String[] f = l.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) == port && f[3].equals("0A")) { // 0A: LISTEN
                    String a = local[0];
                    out.add(a.startsWith("0000000000000000FFFF0000") ? a.substring(24) : a);
                }
            }
        }
        return out;
    }

    @Test
    void listensOn127001Only() throws Exception {
        assumeThat(Path.of("/proc/net/tcp")).as("Linux socket tables").isReadable();

        // 0100007F is 127.0.0.1 in the kernel's byte order; a wildcard would be 00000000 (or :: in tcp6).
        assertThat(listeners(server.port())).containsExactly("0100007F");
    }

    @Test
    void otherLoopbackAddressesOnTheSamePortAreRefused() throws Exception {
        // A socket on the wildcard address would take these too; a loopback-only one refuses them. They stay
        // in the loopback range: no packet of this test leaves the machine.
        List<InetAddress> others = new ArrayList<>();
        InetAddress alias = InetAddress.getByName("127.0.0.2");
        try (ServerSocket probe = new ServerSocket(0, 1, alias)) {
            others.add(alias);
        } catch (IOException notConfigured) {
            // some systems route only 127.0.0.1
        }
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
            others.add(v6);
        } catch (IOException noIpv6) {
            // no IPv6 loopback here
        }
        assumeThat(others).as("a loopback address besides 127.0.0.1").isNotEmpty();

        for (InetAddress a : others) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(a, server.port()), 2_000);
                throw new AssertionError("connected to " + a + ":" + server.port());
            } catch (ConnectException expected) {
                assertThat(expected).hasMessageContaining("refused");
            }
        }
        assertThat(server.status().path("running").asBoolean()).isTrue();
    }

    @Test
    void noListenerOnAnyNonLoopbackAddressOfThisMachine() throws Exception {
        assumeThat(Path.of("/proc/net/tcp")).as("Linux socket tables").isReadable();
        List<String> ipv4 = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    byte[] b = a.getAddress();
                    ipv4.add(String.format(Locale.ROOT, "%02X%02X%02X%02X", b[3], b[2], b[1], b[0]));
                }
            }
        }
        assumeThat(ipv4).as("a non-loopback IPv4 address").isNotEmpty();

        // Checked in the kernel's socket table rather than by connecting: this workplace allows no traffic to
        // non-loopback addresses, not even the machine's own. A listener on one of them, or on the wildcard
        // (00000000 or ::), is what would accept such a connection.
        List<String> bound = listeners(server.port());
        assertThat(bound).isNotEmpty();
        for (String addr : bound) {
            assertThat(ipv4).doesNotContain(addr);
            assertThat(addr).isNotEqualTo("00000000").doesNotMatch("0{32}");
        }
    }

    // ---------------------------------------------------------------- 5. the token's files

    @Test
    void tokenAndCurlHeaderFilesAreOwnerOnlyInAnOwnerOnlyFolderAndNowhereElse() throws Exception {
        ServerFiles files = server.files;
        String token = server.token();

        assertThat(token).isNotNull().hasSizeGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.dir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.token()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.curlHeaders())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(files.token()).trim()).isEqualTo(token);
        assertThat(Files.readString(files.curlHeaders())).isEqualTo("Authorization: Bearer " + token + "\n");
        assertThat(Files.readString(files.info())).doesNotContain(token);
        assertThat(Files.readString(files.portFile())).doesNotContain(token)
                .isEqualTo(server.port() + " " + ProcessHandle.current().pid() + "\n");
        JsonNode info = JSON.readTree(files.info().toFile());
        assertThat(info.path("port").asInt()).isEqualTo(server.port());
        assertThat(server.status().toString()).doesNotContain(token);
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                if (!p.equals(files.token()) && !p.equals(files.curlHeaders())) {
                    assertThat(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1))
                            .as("the token in %s", p).doesNotContain(token);
                }
            }
        }
    }

    @ParameterizedTest(name = "token file {0}")
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw----", "rw-------"})
    void tokenFileOthersCanReadIsNotUsedAndGetsReplaced(String mode) throws Exception {
        ServerFiles files = server.files;
        String before = server.token();
        Files.setPosixFilePermissions(files.token(), PosixFilePermissions.fromString(mode));
        boolean leaked = !mode.equals("rw-------");

        String read = ServerToken.readIfPrivate(files);
        String replaced = ServerToken.loadOrCreate(files);

        if (!leaked) {
            assertThat(read).isEqualTo(before);
            assertThat(replaced).isEqualTo(before);
            return;
        }
        assertThat(read).isNull();
        assertThat(replaced).isNotEqualTo(before).hasSizeGreaterThanOrEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.token()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.curlHeaders())))
                .isEqualTo("rw-------");
        assertThat(ServerToken.readIfPrivate(files)).isEqualTo(replaced);
        assertThat(Files.readString(files.curlHeaders())).isEqualTo("Authorization: Bearer " + replaced + "\n");
    }
}
