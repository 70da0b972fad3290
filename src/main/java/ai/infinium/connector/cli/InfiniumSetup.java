package ai.infinium.connector.cli;

import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.config.ProjectConfig;
import ai.infinium.connector.export.DeliveryResult;
import java.io.IOException;

/**
 * {@code init}'s Infinium credentials: the agent id, secret and base URL as given, asked for or
 * kept, then checked with the API before anything is saved ({@code update-credentials} checks the
 * same way).
 */
final class InfiniumSetup {
    private InfiniumSetup() {}

    /** The credentials to save: as given, or as given again after the API refused the first ones. */
    record Accepted(String agentId, String secret, String baseUrl) {}

    /**
     * @param existing the project's settings before this {@code init}, null for a new project
     * @return what to save, or null when the API refused them and nobody is there to ask again
     */
    static Accepted ask(Args args, Io io, Wizard wizard, ProjectConfig existing) throws IOException, UsageException {
        String agentId = wizard.value("--agent-id", args.value("--agent-id"),
                "Infinium agent id", existing == null ? null : existing.agentId(), false, InfiniumSetup::agentIdProblem);
        String secretFlag = args.value("--agent-secret");
        if ("-".equals(secretFlag)) {
            secretFlag = wizard.secretFromStdin();
        }
        String storedSecret = io.ctx.secrets().get(agentId).orElse(null);
        String secret = wizard.value("--agent-secret", secretFlag,
                "Infinium agent secret (input hidden" + (storedSecret == null ? "" : ", Enter keeps the stored one") + ")",
                storedSecret, true, InfiniumSetup::secretProblem);
        String baseUrl = existing == null || args.value("--base-url") != null
                ? wizard.value("--base-url", args.value("--base-url"), "API base URL",
                        existing == null ? null : existing.baseUrl(), false, InfiniumSetup::baseUrlProblem,
                        Credentials.DEFAULT_BASE_URL)
                : existing.baseUrl();
        if (args.has("--no-check")) {
            return new Accepted(agentId, secret, baseUrl);
        }
        // Where the traces will go: the environment's base URL wins over the project file's.
        String envUrl = io.ctx.env().get("INFINIUM_BASE_URL");
        Accepted checked = check(io, wizard, agentId, secret, envUrl != null && !envUrl.isBlank() ? envUrl.trim() : baseUrl);
        return checked == null ? null : new Accepted(checked.agentId(), checked.secret(), baseUrl);
    }

    static String agentIdProblem(String id) {
        return id.length() < 3 ? "an agent id has at least 3 characters" : null;
    }

    static String secretProblem(String secret) {
        return secret.length() < 8 ? "an agent secret has at least 8 characters" : null;
    }

    static String baseUrlProblem(String url) {
        return url.matches("https?://[^\\s/]+.*") ? null : "a base URL starts with http:// or https:// and a host";
    }

    /**
     * Asks the API whether it takes these credentials before anything is saved. Refused: asked
     * for again (interactive) or the end (null); unreachable: saved anyway, and said.
     *
     * @return the agent id and secret to save (the base URL as checked), or null to stop
     */
    static Accepted check(Io io, Wizard wizard, String agentId, String secret, String baseUrl)
            throws IOException, UsageException {
        String url = baseUrl == null ? Credentials.DEFAULT_BASE_URL : baseUrl;
        while (true) {
            DeliveryResult r = io.ctx.infiniumApi().checkCredentials(url, agentId, secret);
            if (r == null) {
                return new Accepted(agentId, secret, url);
            }
            if (r.delivered()) {
                io.say("Checked: " + url + " accepts agent " + agentId + " with this secret.");
                return new Accepted(agentId, secret, url);
            }
            if (r.outcome() == DeliveryResult.Outcome.TRANSIENT) {
                io.say("Could not check the credentials (" + r.message() + "); saving them anyway: "
                        + "`infinium test` checks them once the API is reachable.");
                return new Accepted(agentId, secret, url);
            }
            io.err.println("infinium: the API refused agent " + agentId + " with this secret: " + r.message());
            if (!wizard.interactive()) {
                io.err.println("Nothing was saved. Fix --agent-id / --agent-secret (or pass --no-check to save them anyway).");
                return null;
            }
            agentId = wizard.value("--agent-id", null, "Infinium agent id", agentId, false, InfiniumSetup::agentIdProblem);
            secret = wizard.value("--agent-secret", null, "Infinium agent secret (input hidden)", null, true,
                    InfiniumSetup::secretProblem);
        }
    }
}
