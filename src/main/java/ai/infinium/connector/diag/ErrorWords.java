package ai.infinium.connector.diag;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What a failure means, in words a person acts on: "connection refused by host:port", "permission
 * denied: /path". Java's exceptions name their class and often nothing else; a user cannot act on
 * "java.net.ConnectException" and should never have to read one.
 */
public final class ErrorWords {
    private ErrorWords() {}

    /** A failed exchange with {@code hostPort} ({@code host:port}) over {@code scheme} (http or https). */
    public static String network(Throwable e, String scheme, String hostPort) {
        String host = hostPort.contains(":") ? hostPort.substring(0, hostPort.lastIndexOf(':')) : hostPort;
        for (Throwable t = e; t != null; t = t.getCause()) {
            // The HTTP client reports an unknown host as a failed connect caused by it: look deeper first.
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host " + host + " (check the base URL, and that this machine has DNS)";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = lower(t.getMessage());
            if (t instanceof ConnectException || m.contains("connection refused")) {
                return "connection refused by " + hostPort + " (nothing listens there: check the base URL's host and port)";
            }
            if (t instanceof NoRouteToHostException || m.contains("no route to host")
                    || m.contains("network is unreachable")) {
                return "no route to " + hostPort + " (is the network up? a VPN or proxy needed?)";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                if (m.contains("unrecognized ssl message") || m.contains("plaintext") || m.contains("unsupported or unrecognized")) {
                    return hostPort + " does not speak TLS: the base URL says https:// but the server answers plain HTTP"
                            + " (use http://, or the server's TLS port)";
                }
                if (m.contains("pkix") || m.contains("certificate") || m.contains("trust")) {
                    return "the TLS certificate of " + host + " is not trusted by this JDK (" + t.getMessage() + ")";
                }
                return "TLS with " + hostPort + " failed: " + t.getMessage();
            }
            if (m.contains("received no bytes")) {
                return hostPort + " closed the connection without answering (a proxy or server going down?)";
            }
            if (t instanceof ProtocolException || m.contains("header parser") || m.contains("invalid status line")
                    || m.contains("unexpected content") || m.contains("invalid response")) {
                return hostPort + " is not an HTTP server, or did not answer in HTTP"
                        + ("https".equals(scheme) ? "" : " (a TLS port? then use https://)");
            }
            if (m.contains("connection reset") || m.contains("closed") || m.contains("eof reached")
                    || m.contains("broken pipe")) {
                return hostPort + " closed the connection before answering";
            }
        }
        return "network error with " + hostPort + ": " + describe(e);
    }

    /** Any other failure: the file system's in its own words, anything else by its message. */
    public static String of(Throwable e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + path((FileSystemException) e);
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder: " + path((FileSystemException) e);
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder: " + path((FileSystemException) e);
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists: " + path((FileSystemException) e);
        }
        if (e instanceof FileSystemException) {
            FileSystemException f = (FileSystemException) e;
            String reason = f.getReason() == null ? "" : f.getReason();
            return (reason.isEmpty() ? "cannot use " : reason.substring(0, 1).toLowerCase(Locale.ROOT) + reason.substring(1) + ": ")
                    + path(f);
        }
        return describe(e);
    }

    private static String path(FileSystemException f) {
        return f.getOtherFile() == null ? f.getFile() : f.getFile() + " -> " + f.getOtherFile();
    }

    /** The message, else the cause's, else the kind of failure in words: never a class name alone. */
    private static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        if (e instanceof SocketException || e instanceof IOException) {
            return "an input/output error without details";
        }
        String kind = e.getClass().getSimpleName().replaceAll("(Exception|Error)$", "")
                .replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return "an internal error (" + kind + "); see the log";
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
