package ai.infinium.connector.config;

/** A configuration problem a person must fix; the message says how. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
