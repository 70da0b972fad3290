package ai.infinium.connector.e2e;

import ai.infinium.connector.testing.FreePort;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The real OTLP/HTTP receiver, {@code @elastic/mockotlpserver} {@value MockOtlpServerBinary#VERSION},
 * as a child process on 127.0.0.1, and every span it decoded.
 *
 * <p>Its CLI cannot be given ports (only {@code --hostname}; HTTP is fixed at 4318 and gRPC at 4317,
 * no environment variable either), so the process is a few lines of our own ({@link #LAUNCHER}) that
 * call the package's library API, {@code new MockOtlpServer({services: ['http'], httpHostname,
 * httpPort})}, and print each decoded export request the way its {@code -o trace-json} printer does
 * ({@code lib/normalize.js jsonStringifyTrace}: ids as hex, enums as names, int64 as strings) except
 * that attributes keep their typed OTLP form, so an int stays an int and a double a double (the
 * printer's {@code normAttributes} turns both into a JS number and int64 past 2^53 loses digits).
 * Everything decoding is the package's own code: HTTP handling, content types, protobufjs.
 *
 * <p>An outage is simulated by {@link #close()} and {@link #start(int)} on the same port.
 */
public final class OtlpReceiver implements AutoCloseable {

    /**
     * One JSON object per line on stdout: {@code listening}, then a {@code trace} per decoded export
     * request (numbered from 1), or an {@code error}. The receiver answers 200 before it decodes and
     * a body it cannot decode would throw out of its request handler and kill it; caught here, the
     * error is printed instead and the harness fails the test with it.
     */
    private static final String LAUNCHER = """
            'use strict';
            const path = require('path');
            const [packageDir, port] = process.argv.slice(2);
            const {MockOtlpServer} = require(packageDir);
            const {jsonStringifyTrace} = require(path.join(packageDir, 'lib', 'normalize.js'));
            const print = (event) => process.stdout.write(JSON.stringify(event) + '\\n');
            const failed = (err) => ({event: 'error', message: String((err && err.stack) || err)});
            let requests = 0;
            process.on('uncaughtException', (err) => print(failed(err)));
            const server = new MockOtlpServer({
                logLevel: 'warn',
                services: ['http'],
                httpHostname: '127.0.0.1',
                httpPort: Number(port),
                onTrace: (trace) => {
                    requests++;
                    const data = JSON.parse(jsonStringifyTrace(trace, {normAttributes: false}));
                    print({event: 'trace', request: requests, data});
                },
            });
            server.start().then(
                () => print({event: 'listening', url: String(server.httpUrl)}),
                (err) => { print(failed(err)); process.exit(2); });
            """;

    /** Node plus protobufjs and the OTLP protos load in well under a second; allow for a busy machine. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final Path dir;
    private final Process process;
    private final Thread reader;

    // Guarded by this; the reader thread appends and notifies.
    private final List<ReceivedSpan> spans = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> otherOutput = new ArrayList<>();
    private int requests;
    private boolean listening;
    private boolean ended;
    private boolean closed;

    private OtlpReceiver(int port, Path dir, Process process) {
        this.port = port;
        this.dir = dir;
        this.process = process;
        this.reader = new Thread(this::readOutput, "otlp-receiver-" + port);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * A receiver on a free loopback port. Another process may take a port between {@link FreePort}
     * finding it and node binding it, so a port found taken is replaced by another, a few times.
     */
    public static OtlpReceiver start() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return start(FreePort.find());
            } catch (IOException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("EADDRINUSE")) {
                    throw e;
                }
            }
        }
    }

    /** A receiver on {@code port}, e.g. the port of one just closed; returns once it listens. */
    public static OtlpReceiver start(int port) throws IOException, InterruptedException {
        Path packageDir = MockOtlpServerBinary.packageDir();
        Path dir = Files.createTempDirectory("otlp-receiver-");
        Path launcher = Files.writeString(dir.resolve("receiver.js"), LAUNCHER, StandardCharsets.UTF_8);
        Process process = new ProcessBuilder("node", launcher.toString(), packageDir.toString(),
                Integer.toString(port))
                .directory(dir.toFile())
                // stderr to a file: nothing reads it while the receiver runs, so a pipe could fill up.
                .redirectError(dir.resolve("stderr.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        OtlpReceiver receiver = new OtlpReceiver(port, dir, process);
        try {
            receiver.awaitListening();
        } catch (IOException | InterruptedException | RuntimeException e) {
            receiver.close();
            throw e;
        }
        return receiver;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port>/v1/traces}. */
    public URI tracesEndpoint() {
        return URI.create("http://127.0.0.1:" + port + "/v1/traces");
    }

    /** Every span decoded so far, in the order received. */
    public synchronized List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    /** How many trace export requests it decoded (one with no spans counts too). */
    public synchronized int requests() {
        return requests;
    }

    /**
     * Waits until at least {@code atLeast} spans were decoded. Fails at once if the receiver could not
     * decode a request or died: an exporter test must never pass on what the receiver rejected. The
     * receiver answers before it decodes, so a 200 to the sender does not yet mean a span is here.
     */
    public synchronized List<ReceivedSpan> awaitSpans(int atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (spans.size() < atLeast && errors.isEmpty() && !ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, Duration.ofNanos(left).toMillis()));
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("the receiver failed to decode a request (" + spans.size() + " spans in "
                    + requests + " requests decoded)" + diagnostics());
        }
        if (spans.size() < atLeast) {
            throw new AssertionError("expected at least " + atLeast + " spans within " + timeout + ", got "
                    + spans.size() + " in " + requests + " requests" + diagnostics());
        }
        return List.copyOf(spans);
    }

    /**
     * Stops the receiver and everything it started; the spans stay readable. Throws nothing, so a
     * try-with-resources never hides the test's own failure; an interrupt is kept for the caller.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        process.descendants().forEach(ProcessHandle::destroy); // none today; kept so none outlives it
        process.destroy(); // SIGTERM: node exits at once and the port is free again
        try {
            ProcessTree.awaitExit(process, STOP_TIMEOUT); // forcibly, with its descendants, if not
            reader.join(STOP_TIMEOUT.toMillis()); // lines it printed before dying are still counted
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // awaitExit has killed the tree all the same
        }
        try {
            NpmCliCache.deleteTree(dir);
        } catch (IOException e) {
            // A leftover temp directory is harmless; the stopped receiver is what matters.
        }
    }

    private synchronized void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!listening && errors.isEmpty() && !ended) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, Duration.ofNanos(left).toMillis()));
        }
        if (!listening) {
            throw new IOException("mockotlpserver did not listen on 127.0.0.1:" + port + " within "
                    + START_TIMEOUT + diagnostics());
        }
    }

    private void readOutput() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                accept(line);
            }
        } catch (IOException e) {
            record(errors, "reading the receiver's output: " + e);
        } finally {
            synchronized (this) {
                ended = true;
                notifyAll();
            }
        }
    }

    private void accept(String line) {
        JsonNode event;
        try {
            event = JSON.readTree(line);
        } catch (IOException e) {
            record(otherOutput, line); // its own log lines (warnings), kept for failure messages
            return;
        }
        switch (event.path("event").asText()) {
            case "listening" -> {
                synchronized (this) {
                    listening = true;
                    notifyAll();
                }
            }
            case "trace" -> {
                int request = event.path("request").asInt();
                List<ReceivedSpan> decoded;
                try {
                    decoded = ReceivedSpan.fromExportRequest(event.path("data"), request);
                } catch (RuntimeException e) {
                    record(errors, "request " + request + " printed in a form this harness cannot read: " + e
                            + "\n" + line);
                    return;
                }
                synchronized (this) {
                    requests = Math.max(requests, request);
                    spans.addAll(decoded);
                    notifyAll();
                }
            }
            case "error" -> record(errors, event.path("message").asText());
            default -> record(otherOutput, line);
        }
    }

    private synchronized void record(List<String> into, String line) {
        into.add(line);
        notifyAll();
    }

    private synchronized String diagnostics() {
        StringBuilder b = new StringBuilder();
        if (!errors.isEmpty()) {
            b.append("\nerrors:\n").append(String.join("\n", errors));
        }
        if (!otherOutput.isEmpty()) {
            b.append("\nother output:\n").append(String.join("\n", tail(otherOutput)));
        }
        if (ended) {
            b.append("\nthe receiver process ended");
            if (!process.isAlive()) {
                b.append(" with exit code ").append(process.exitValue());
            }
        }
        try {
            Path stderr = dir.resolve("stderr.log");
            if (Files.exists(stderr) && Files.size(stderr) > 0) {
                b.append("\nstderr:\n")
                        .append(String.join("\n", tail(Files.readAllLines(stderr, StandardCharsets.UTF_8))));
            }
        } catch (IOException e) {
            b.append("\n(stderr unreadable: ").append(e).append(')');
        }
        return b.toString();
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 40), lines.size());
    }

    /**
     * A span as the receiver decoded it, whichever encoding it came in: ids as lowercase hex
     * ({@code parentSpanId} null for a root), times as longs, kind and status code as their enum
     * names ({@code SPAN_KIND_INTERNAL}, {@code STATUS_CODE_ERROR}; UNSPECIFIED / UNSET when absent),
     * attribute values as String, Long, Double, Boolean, List, Map (kvlist), null (empty AnyValue), or a
     * base64 String for bytes. {@code request} is the export request it came in, from 1.
     */
    public record ReceivedSpan(
            int request,
            Map<String, Object> resourceAttributes,
            String scopeName,
            String traceId,
            String spanId,
            String parentSpanId,
            String name,
            String kind,
            long startTimeUnixNano,
            long endTimeUnixNano,
            Map<String, Object> attributes,
            String statusCode,
            String statusMessage,
            List<Event> events) {

        /** A span event: name, time and attributes (typed as in {@link ReceivedSpan}). */
        public record Event(String name, long timeUnixNano, Map<String, Object> attributes) {}

        private static final Pattern HEX_ID = Pattern.compile("[0-9a-fA-F]{16}|[0-9a-fA-F]{32}");
        private static final String[] KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
                "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
        private static final String[] STATUS_CODES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

        /** The spans of one printed {@code ExportTraceServiceRequest}. */
        static List<ReceivedSpan> fromExportRequest(JsonNode request, int number) {
            List<ReceivedSpan> out = new ArrayList<>();
            for (JsonNode resourceSpans : request.path("resourceSpans")) {
                Map<String, Object> resource = attributes(resourceSpans.path("resource").path("attributes"));
                for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                    String scope = textOrNull(scopeSpans.path("scope").path("name"));
                    for (JsonNode span : scopeSpans.path("spans")) {
                        out.add(fromSpan(span, number, resource, scope));
                    }
                }
            }
            return out;
        }

        private static ReceivedSpan fromSpan(JsonNode span, int request, Map<String, Object> resource, String scope) {
            List<Event> events = new ArrayList<>();
            for (JsonNode event : span.path("events")) {
                events.add(new Event(event.path("name").asText(), uint64(event.path("timeUnixNano")),
                        attributes(event.path("attributes"))));
            }
            JsonNode status = span.path("status");
            return new ReceivedSpan(request, resource, scope,
                    id(span.path("traceId")), id(span.path("spanId")), id(span.path("parentSpanId")),
                    span.path("name").asText(), enumName(span.path("kind"), KINDS),
                    uint64(span.path("startTimeUnixNano")), uint64(span.path("endTimeUnixNano")),
                    attributes(span.path("attributes")),
                    enumName(status.path("code"), STATUS_CODES), status.path("message").asText(""),
                    List.copyOf(events));
        }

        /**
         * The receiver prints ids as hex (it converts protobuf bytes; an OTLP/JSON sender must send
         * hex). A base64 id, as protobufjs's own JSON form would have it, is converted too.
         */
        private static String id(JsonNode node) {
            String text = textOrNull(node);
            if (text == null || text.isEmpty()) {
                return null;
            }
            if (HEX_ID.matcher(text).matches()) {
                return text.toLowerCase(Locale.ROOT);
            }
            return HexFormat.of().formatHex(Base64.getDecoder().decode(text));
        }

        /** Enums are printed as names; a number the receiver did not know stays a number. */
        private static String enumName(JsonNode node, String[] names) {
            if (node.isMissingNode() || node.isNull()) {
                return names[0];
            }
            if (node.isIntegralNumber() && node.asInt() >= 0 && node.asInt() < names.length) {
                return names[node.asInt()];
            }
            return node.asText();
        }

        /** fixed64 times: a decimal string from protobuf, string or number from OTLP/JSON. */
        private static long uint64(JsonNode node) {
            if (node.isMissingNode() || node.isNull()) {
                return 0;
            }
            return node.isTextual() ? Long.parseUnsignedLong(node.asText()) : node.longValue();
        }

        private static Map<String, Object> attributes(JsonNode keyValues) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (JsonNode kv : keyValues) {
                out.put(kv.path("key").asText(), value(kv.path("value")));
            }
            return Collections.unmodifiableMap(out);
        }

        /** A typed OTLP AnyValue, as both encodings print it. */
        private static Object value(JsonNode any) {
            if (any.has("stringValue")) {
                return any.get("stringValue").asText();
            } else if (any.has("boolValue")) {
                return any.get("boolValue").asBoolean();
            } else if (any.has("intValue")) {
                JsonNode v = any.get("intValue");
                return v.isTextual() ? Long.parseLong(v.asText()) : v.longValue();
            } else if (any.has("doubleValue")) {
                JsonNode v = any.get("doubleValue");
                return v.isTextual() ? Double.parseDouble(v.asText()) : v.doubleValue(); // "NaN", "Infinity"
            } else if (any.has("arrayValue")) {
                List<Object> out = new ArrayList<>();
                for (JsonNode element : any.get("arrayValue").path("values")) {
                    out.add(value(element));
                }
                return Collections.unmodifiableList(out);
            } else if (any.has("kvlistValue")) {
                return attributes(any.get("kvlistValue").path("values"));
            } else if (any.has("bytesValue")) {
                return bytes(any.get("bytesValue"));
            } else if (any.isEmpty()) {
                return null;
            }
            throw new IllegalArgumentException("unknown AnyValue " + any);
        }

        /** Base64 from OTLP/JSON; a Node Buffer ({@code {"type":"Buffer","data":[..]}}) from protobuf. */
        private static String bytes(JsonNode node) {
            if (node.isTextual()) {
                return node.asText();
            }
            JsonNode data = node.path("data");
            byte[] bytes = new byte[data.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) data.get(i).asInt();
            }
            return Base64.getEncoder().encodeToString(bytes);
        }

        private static String textOrNull(JsonNode node) {
            return node.isMissingNode() || node.isNull() ? null : node.asText();
        }
    }
}
