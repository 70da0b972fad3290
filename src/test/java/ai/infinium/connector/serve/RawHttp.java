package ai.infinium.connector.serve;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny HTTP/1.1 client over a plain {@link Socket}, for tests that must send what
 * {@code java.net.http.HttpClient} will not: any {@code Host} (or none), an {@code Origin},
 * a declared length with no body, a chunked body. One request per connection
 * ({@code Connection: close}); every read has a timeout so a hung server fails the test
 * instead of hanging it.
 */
final class RawHttp {
    static final int READ_TIMEOUT_MS = 30_000;

    private RawHttp() {}

    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** By lower-case name. */
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A request to build; headers are sent exactly as given, in order (no Host unless set). */
    static final class Request {
        private final String method;
        private final String target;
        private final List<String[]> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private boolean chunked;
        private long declaredLength = -1;
        private boolean sendBody = true;

        Request(String method, String target) {
            this.method = method;
            this.target = target;
        }

        Request header(String name, String value) {
            headers.add(new String[] {name, value});
            return this;
        }

        Request body(byte[] b) {
            this.body = b;
            return this;
        }

        /** Sends the body as one chunk (plus the terminating chunk), without a Content-Length. */
        Request chunked() {
            this.chunked = true;
            return this;
        }

        /** Declares this Content-Length but sends no body at all. */
        Request declareLengthOnly(long length) {
            this.declaredLength = length;
            this.sendBody = false;
            return this;
        }

        Response send(int port) throws IOException {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
                s.setSoTimeout(READ_TIMEOUT_MS);
                OutputStream out = s.getOutputStream();
                StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
                for (String[] h : headers) {
                    head.append(h[0]).append(": ").append(h[1]).append("\r\n");
                }
                if (chunked) {
                    head.append("Transfer-Encoding: chunked\r\n");
                } else if (declaredLength >= 0) {
                    head.append("Content-Length: ").append(declaredLength).append("\r\n");
                } else if (body.length > 0 || method.equals("POST")) {
                    head.append("Content-Length: ").append(body.length).append("\r\n");
                }
                head.append("Connection: close\r\n\r\n");
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (sendBody) {
                    if (chunked) {
                        out.write((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                        out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } else {
                        out.write(body);
                    }
                }
                out.flush();
                return read(new BufferedInputStream(s.getInputStream()));
            }
        }
    }

    static Request post(String target) {
        return new Request("POST", target);
    }

    static Request get(String target) {
        return new Request("GET", target);
    }

    private static Response read(InputStream in) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP status line: '" + status + "'");
        }
        int code = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(in); !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
            line(in);
        } else if (headers.containsKey("content-length")) {
            int n = Integer.parseInt(headers.get("content-length"));
            byte[] b = in.readNBytes(n);
            if (b.length != n) {
                throw new EOFException("body cut off after " + b.length + " of " + n + " bytes");
            }
            body.write(b);
        } else {
            in.transferTo(body);
        }
        return new Response(code, headers, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed mid-line after '" + b.toString(StandardCharsets.ISO_8859_1) + "'");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
