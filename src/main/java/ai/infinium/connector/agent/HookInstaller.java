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

    /**
     * Works out and checks every edit that installing (or re-installing) our handlers with this
     * command line makes, writing nothing: {@code init} prepares every agent's install before it
     * writes any file, so a file that cannot be edited safely (a ConfigException saying what to do)
     * leaves nothing half-done.
     */
    PreparedInstall prepare(String command, InstallOptions options) throws ConfigException, IOException;

    /** An install worked out and checked: {@code edits} writes it, {@code report} says what it does, for people. */
    record PreparedInstall(List<String> report, Edits edits) {
        public PreparedInstall {
            report = List.copyOf(report);
        }
    }

    /** The writes of a prepared install. */
    @FunctionalInterface
    interface Edits {
        void write() throws IOException;
    }

    /** Removes our handlers; returns how many there were. */
    int uninstall() throws ConfigException, IOException;

    int installedEvents() throws ConfigException;

    /**
     * Why {@code uninstall} in this project must leave the hooks where they are (hooks in the user's
     * settings that other projects still trace with), or null when they go.
     */
    default String keptFor() throws ConfigException, IOException {
        return null;
    }

    /** The distinct command lines our installed handlers run. */
    List<String> installedCommands() throws ConfigException;

    /** Why the agent would not run the installed hooks, each with its fix; empty when it would. */
    default List<Problem> problems() throws ConfigException {
        return List.of();
    }

    /** Something that keeps the agent from running our hooks, and what the user does about it. */
    record Problem(String what, String fix) {}

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
