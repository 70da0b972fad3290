package ai.infinium.connector.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Minimal HTTP/1.1 wire code for {@link FakeInfiniumApi}: reads one request (Content-Length or
 * chunked body, {@code Expect: 100-continue}) with hard limits, and writes one response. Bodies
 * above the caller's limit are counted and discarded, never buffered.
 */
final class HttpWire {
    private HttpWire() {}

    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADER_LINES = 200;
    /** Bytes of an oversized body the server discards before giving up on reading it. */
    static final long MAX_DRAIN = 64L * 1024 * 1024;

    /** A request the server cannot parse; answered with {@link #status} and the connection closed. */
    static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * One parsed request.
     *
     * @param body         the body, or {@code null} if it was larger than the limit
     * @param bodySize     body size in bytes (declared Content-Length, or bytes counted for chunked)
     * @param bodyComplete false if an oversized body was not read to its end
     */
    record Request(
            String method,
            String target,
            Map<String, String> headers,
            byte[] body,
            long bodySize,
            boolean bodyComplete) {

        String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }

        /** The path part of the target, without query string, absolute-form reduced to origin-form. */
        String path() {
            String t = target;
            if (t.startsWith("http://") || t.startsWith("https://")) {
                int slash = t.indexOf('/', t.indexOf("//") + 2);
                t = slash < 0 ? "/" : t.substring(slash);
            }
            int q = t.indexOf('?');
            return q < 0 ? t : t.substring(0, q);
        }
    }

    /**
     * Reads one request. Returns {@code null} if the peer closed the connection before sending
     * anything.
     */
    static Request read(InputStream in, OutputStream out, int maxBody) throws IOException {
        String requestLine = readLine(in, true);
        if (requestLine == null) {
            return null;
        }
        // Tolerate stray empty lines before the request line (RFC 9112 §2.2).
        int skipped = 0;
        while (requestLine.isEmpty()) {
            if (++skipped > 8) {
                throw new BadRequest(400, "empty request line");
            }
            requestLine = readLine(in, true);
            if (requestLine == null) {
                return null;
            }
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "malformed request line: " + requestLine);
        }
        String method = parts[0];
        String target = parts[1];

        Map<String, String> headers = new LinkedHashMap<>();
        int headerBytes = 0;
        int lines = 0;
        while (true) {
            String line = readLine(in, false);
            if (line.isEmpty()) {
                break;
            }
            headerBytes += line.length() + 2;
            if (++lines > MAX_HEADER_LINES || headerBytes > MAX_HEADER_BYTES) {
                throw new BadRequest(431, "request headers too large");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                throw new BadRequest(400, "malformed header line");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }

        String te = headers.get("transfer-encoding");
        String cl = headers.get("content-length");
        boolean chunked = te != null && te.toLowerCase(Locale.ROOT).contains("chunked");
        if (te != null && !chunked) {
            throw new BadRequest(501, "unsupported transfer-encoding: " + te);
        }
        long length = 0;
        if (!chunked && cl != null) {
            try {
                length = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "bad content-length: " + cl);
            }
            if (length < 0) {
                throw new BadRequest(400, "bad content-length: " + cl);
            }
        }
        boolean hasBody = chunked || length > 0;
        String expect = headers.get("expect");
        if (hasBody && expect != null && expect.equalsIgnoreCase("100-continue")) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        Map<String, String> frozen = Collections.unmodifiableMap(headers);
        if (chunked) {
            return readChunked(in, method, target, frozen, maxBody);
        }
        if (length <= maxBody) {
            byte[] body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
            }
            return new Request(method, target, frozen, body, length, true);
        }
        long discarded = discard(in, Math.min(length, MAX_DRAIN));
        return new Request(method, target, frozen, null, length, discarded == length);
    }

    private static Request readChunked(
            InputStream in, String method, String target, Map<String, String> headers, int maxBody)
            throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        long total = 0;
        boolean over = false;
        while (true) {
            String sizeLine = readLine(in, false);
            int semi = sizeLine.indexOf(';');
            String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "bad chunk size: " + sizeLine);
            }
            if (size < 0) {
                throw new BadRequest(400, "bad chunk size: " + sizeLine);
            }
            if (size == 0) {
                break;
            }
            if (!over && total + size <= maxBody) {
                byte[] chunk = in.readNBytes((int) size);
                if (chunk.length != size) {
                    throw new EOFException("chunk truncated");
                }
                buf.write(chunk);
            } else {
                over = true;
                buf = null;
                if (total + size > MAX_DRAIN) {
                    long got = discard(in, MAX_DRAIN - total);
                    return new Request(method, target, headers, null, total + got, false);
                }
                if (discard(in, size) != size) {
                    throw new EOFException("chunk truncated");
                }
            }
            total += size;
            if (!readLine(in, false).isEmpty()) {
                throw new BadRequest(400, "missing CRLF after chunk");
            }
        }
        // Trailer section.
        int trailers = 0;
        while (!readLine(in, false).isEmpty()) {
            if (++trailers > MAX_HEADER_LINES) {
                throw new BadRequest(431, "too many trailers");
            }
        }
        return new Request(method, target, headers, over ? null : buf.toByteArray(), total, true);
    }

    /** Reads and throws away up to {@code n} bytes; returns how many were read. */
    private static long discard(InputStream in, long n) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    /**
     * Reads one CRLF- (or LF-) terminated line as ISO-8859-1. Returns {@code null} on EOF before
     * the first byte when {@code eofOk}; throws {@link EOFException} on EOF otherwise.
     */
    private static String readLine(InputStream in, boolean eofOk) throws IOException {
        StringBuilder sb = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofOk && sb.length() == 0) {
                    return null;
                }
                throw new EOFException("connection closed mid-line");
            }
            if (b == '\n') {
                int len = sb.length();
                if (len > 0 && sb.charAt(len - 1) == '\r') {
                    sb.setLength(len - 1);
                }
                return sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new BadRequest(431, "line too long");
            }
            sb.append((char) b);
        }
    }

    /** Writes a complete response; the connection is always closed afterwards by the caller. */
    static void writeResponse(OutputStream out, int status, Map<String, String> extraHeaders, byte[] body)
            throws IOException {
        writeResponseHead(out, status, extraHeaders, body, body.length);
    }

    /** The response's head (announcing the whole body) and only the first {@code bodyBytes} of its body. */
    static void writeResponseHead(OutputStream out, int status, Map<String, String> extraHeaders, byte[] body,
            int bodyBytes) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        head.append("Content-Type: application/json; charset=utf-8\r\n");
        head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("Connection: close\r\n");
        head.append("Cache-Control: no-store\r\n");
        for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, 0, Math.min(bodyBytes, body.length));
        out.flush();
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 409: return "Conflict";
            case 413: return "Payload Too Large";
            case 415: return "Unsupported Media Type";
            case 422: return "Unprocessable Entity";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Status " + status;
        }
    }
}
