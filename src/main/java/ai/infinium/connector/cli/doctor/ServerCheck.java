package ai.infinium.connector.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;

/** The per-user server that server-mode hooks post to: absent is fine, running but mute is not. */
public final class ServerCheck {
    static final String NAME = "server";

    private ServerCheck() {}

    /** @param status what {@code status} reports about the server ({@code running}, {@code error}, …) */
    public static Check of(JsonNode status) {
        if (!status.path("running").asBoolean(false) && status.has("last_start_error")) {
            return Check.warning(NAME, "not running; the last one started in the background printed ("
                    + status.path("last_start_error_at").asText() + "): " + status.path("last_start_error").asText(),
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
