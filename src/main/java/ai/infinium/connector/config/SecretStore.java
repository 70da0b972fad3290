package ai.infinium.connector.config;

import java.io.IOException;
import java.util.Optional;

/** Where agent secrets are kept: the OS keyring, or an owner-only file where there is none. */
public interface SecretStore {
    /** Short name shown by {@code status}, e.g. "file fallback". */
    String kind();

    /** Where exactly, and why there, in words a person understands. */
    String describe();

    Optional<String> get(String agentId) throws IOException;

    void put(String agentId, String secret) throws IOException;

    void delete(String agentId) throws IOException;
}
