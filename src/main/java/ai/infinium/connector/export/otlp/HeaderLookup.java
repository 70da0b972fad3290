package ai.infinium.connector.export.otlp;

import ai.infinium.connector.export.OutboxEntry;
import java.util.Map;

/**
 * The headers an OTLP endpoint wants (an API key, a tenant), looked up at send time from the
 * project's settings and secret store so that no secret is ever queued in the outbox.
 */
@FunctionalInterface
public interface HeaderLookup {
    Map<String, String> headersFor(OutboxEntry entry) throws MissingHeadersException;

    /** A header the endpoint needs could not be found; the message says which and where to set it. */
    final class MissingHeadersException extends Exception {
        public MissingHeadersException(String message) {
            super(message);
        }
    }
}
