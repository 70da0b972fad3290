package ai.infinium.connector.cli.doctor;

import ai.infinium.connector.serve.ServerStartErrors;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** The per-user server that server-mode hooks post to: absent is fine, running but mute is not. */
public final class ServerCheck {
    static final String NAME = "server";

    private ServerCheck() {}

    /** @param status what {@code status} reports about the server ({@code running}, {@code error}, …) */
    public static Check of(JsonNode status) {
        Optional<String> failedStart = ServerStartErrors.quoted(status);
        if (!status.path("running").asBoolean(false) && failedStart.isPresent()) {
            return Check.warning(NAME, "not running; " + failedStart.get(),
                    "`infinium server start --foreground` shows whether it still happens; meanwhile server-mode "
                            + "hooks record each event themselves (slower, nothing lost)");
        }
        if (!status.path("running").asBoolean(false)) {
            return Check.ok(NAME, "not running" + (status.has("note") ? " (" + status.path("note").asText() + ")" : ""));
        }
        if (status.has("error")) {
            return Check.error(NAME, "pid " + status.path("pid").asLong() + " " + status.path("error").asText()
                    + ": server-mode hooks cannot post their events",
                    "run `infinium server stop` (the next session starts a fresh one)");
        }
        return Check.ok(NAME, "running, pid " + status.path("pid").asLong() + ", " + status.path("url").asText()
                + ", answering");
    }
}
