package ai.infinium.connector.export.otlp;

import ai.infinium.connector.Version;
import ai.infinium.connector.export.DeliveryResult;
import ai.infinium.connector.export.Exporter;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.trace.Trace;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An OTLP/HTTP endpoint as an exporter: the neutral trace as GenAI spans, encoded as the entry's
 * protocol asks, posted to its traces URL with headers looked up at send time.
 */
public final class OtlpExporter implements Exporter {
    public static final String PROTOBUF = "http/protobuf";
    public static final String JSON = "http/json";

    private final HeaderLookup headers;
    private final Supplier<OtlpHttpSender> sender;
    private final String version;
    private final Supplier<String> hostName;
    private OtlpHttpSender built;
    private String host;
    private boolean hostLooked;

    /** @param timeout for each request, its body included */
    public OtlpExporter(HeaderLookup headers, Duration timeout) {
        this(headers, () -> OtlpHttpSender.create(timeout, Version.get()), Version.get(), OtlpExporter::localHostName);
    }

    /**
     * @param sender built on first use: a run with nothing for OTLP never builds its HTTP client
     * @param hostName asked once, on first use; null leaves {@code host.name} out
     */
    public OtlpExporter(HeaderLookup headers, Supplier<OtlpHttpSender> sender, String version, Supplier<String> hostName) {
        this.headers = headers;
        this.sender = sender;
        this.version = version;
        this.hostName = hostName;
    }

    @Override
    public String name() {
        return OutboxEntry.OTLP;
    }

    /** The bytes the endpoint receives for a trace, in {@code protocol} ({@link #PROTOBUF} or {@link #JSON}). */
    public byte[] encode(Trace trace, boolean content, String protocol) {
        List<OtlpSpan> spans = TraceToSpans.map(trace, content);
        OtlpResource resource = new OtlpResource(version, host(), trace.agent());
        return JSON.equals(protocol) ? OtlpJson.encode(spans, resource) : OtlpProtobuf.encode(spans, resource);
    }

    @Override
    public DeliveryResult deliver(OutboxEntry entry, Trace trace) {
        if (trace == null) {
            return DeliveryResult.rejected(0, "the queued OTLP entry carries no trace to encode");
        }
        String protocol = entry.protocol() == null ? PROTOBUF : entry.protocol();
        if (!PROTOBUF.equals(protocol) && !JSON.equals(protocol)) {
            return DeliveryResult.rejected(0, "unknown OTLP protocol " + protocol + " (use " + PROTOBUF + " or "
                    + JSON + ")");
        }
        URI uri;
        try {
            uri = entry.endpoint() == null ? null : URI.create(entry.endpoint());
        } catch (IllegalArgumentException e) {
            return DeliveryResult.rejected(0, "invalid OTLP endpoint " + entry.endpoint() + ": " + e.getMessage());
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            return DeliveryResult.rejected(0, "invalid OTLP endpoint " + entry.endpoint()
                    + " (the full traces URL, e.g. http://localhost:4318/v1/traces)");
        }
        Map<String, String> h;
        try {
            h = headers.headersFor(entry);
        } catch (HeaderLookup.MissingHeadersException e) {
            // Like a missing Infinium secret: setting it lets the entry go on the next flush.
            return DeliveryResult.transientFailure(0, e.getMessage());
        }
        byte[] body;
        try {
            body = encode(trace, entry.content(), protocol);
        } catch (RuntimeException e) {
            return DeliveryResult.rejected(0, "the queued trace cannot be encoded as OTLP: " + e.getMessage());
        }
        String contentType = JSON.equals(protocol) ? "application/json" : "application/x-protobuf";
        String traceId = SpanIds.hex(new SpanIds(TraceToSpans.idKey(trace)).traceId());
        return sender().send(uri, body, contentType, h, traceId);
    }

    private synchronized OtlpHttpSender sender() {
        if (built == null) {
            built = sender.get();
        }
        return built;
    }

    private synchronized String host() {
        if (!hostLooked) {
            host = hostName.get();
            hostLooked = true;
        }
        return host;
    }

    public static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
