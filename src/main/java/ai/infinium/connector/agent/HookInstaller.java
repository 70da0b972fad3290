package ai.infinium.connector.agent;

import ai.infinium.connector.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Puts this connector's hooks into one agent's configuration for a project, and takes them out. */
public interface HookInstaller {
    /** The file our handlers live in. */
    Path hooksFile();

    int expectedEvents();

    /** Installs (or re-installs) our handlers with this command line; returns what was done, for people. */
    List<String> install(String command, InstallOptions options) throws ConfigException, IOException;

    /** Removes our handlers; returns how many there were. */
    int uninstall() throws ConfigException, IOException;

    int installedEvents() throws ConfigException;

    /** The distinct command lines our installed handlers run. */
    List<String> installedCommands() throws ConfigException;

    /** Extra facts for {@code status} (e.g. whether the agent has recorded the hooks as trusted). */
    List<String> statusNotes() throws ConfigException;

    /**
     * Choices {@code init} asks for or takes as flags.
     *
     * @param server where server-mode hooks post, or null for command hooks only
     */
    record InstallOptions(boolean trustProject, ServerEndpoint server) {
        public InstallOptions(boolean trustProject) {
            this(trustProject, null);
        }
    }

    /** The per-user server's hook URL base ({@code http://127.0.0.1:PORT}) and the token its requests carry. */
    record ServerEndpoint(String baseUrl, String token) {
        public String hookUrl(String agent) {
            return baseUrl + "/hook/" + agent;
        }
    }
}
