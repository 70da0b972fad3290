package ai.infinium.connector.cli.doctor;

import ai.infinium.connector.export.DeliveryResult;
import ai.infinium.connector.export.infinium.InfiniumApi;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * Whether the API takes these credentials ({@code GET /agents/{id}/health}: no trace is sent) and
 * how far the local clock is from the API's: traces carry the local clock, so a skewed one puts
 * every step at the wrong time.
 */
public final class ApiChecks {
    static final String CREDENTIALS = "credentials";
    static final String CLOCK = "clock";
    static final Duration WARN_SKEW = Duration.ofSeconds(60);
    static final Duration ERROR_SKEW = Duration.ofMinutes(5);

    private ApiChecks() {}

    /** @param now the local clock, in epoch milliseconds, read when the answer arrived */
    public static List<Check> of(InfiniumApi api, String baseUrl, String agentId, String secret,
            java.util.function.LongSupplier now) {
        InfiniumApi.Health h = api.health(baseUrl, agentId, secret);
        Instant local = Instant.ofEpochMilli(now.getAsLong());
        if (h.date() == null && h.result().httpStatus() == 0) {
            return List.of(credentials(h.result(), baseUrl, agentId), Check.warning(CLOCK,
                    "not checked: the API did not answer", "fix the credentials check, then run doctor again"));
        }
        return List.of(credentials(h.result(), baseUrl, agentId), clock(h.date(), local));
    }

    static Check credentials(DeliveryResult r, String baseUrl, String agentId) {
        if (r.delivered()) {
            return Check.ok(CREDENTIALS, "agent " + agentId + " accepted by " + baseUrl + " (HTTP " + r.httpStatus() + ")");
        }
        if (r.outcome() == DeliveryResult.Outcome.REJECTED) {
            String fix = r.httpStatus() == 404
                    ? "check the agent id and base URL; `infinium update-credentials --agent-id ID` sets the id"
                    : "run `infinium update-credentials` with the agent's current secret";
            return Check.error(CREDENTIALS, "the API refuses agent " + agentId + ": " + r.message(), fix);
        }
        if (r.httpStatus() == 0) {
            return Check.error(CREDENTIALS, "the API cannot be reached: " + r.message(),
                    "check the network, a proxy or firewall, and the base URL " + baseUrl
                            + " (INFINIUM_BASE_URL or the project's config); traces wait in the outbox meanwhile");
        }
        return Check.error(CREDENTIALS, "the API could not tell: " + r.message(),
                "try `infinium doctor` again later; traces wait in the outbox meanwhile");
    }

    /** @param date the API's {@code Date} header, or null when it did not answer or sent none */
    static Check clock(String date, Instant local) {
        if (date == null) {
            return Check.warning(CLOCK, "not checked: the API sent no Date header", null);
        }
        Instant server;
        try {
            server = ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return Check.warning(CLOCK, "not checked: the API's Date header '" + date + "' is not an HTTP date", null);
        }
        Duration skew = Duration.between(server, local);
        long seconds = Math.abs(skew.toSeconds());
        String what = "this clock is " + seconds + " s " + (skew.isNegative() ? "behind" : "ahead of") + " the API's";
        String fix = "set the system clock right (turn on NTP, e.g. `timedatectl set-ntp true`): traces carry the local time";
        if (seconds > ERROR_SKEW.toSeconds()) {
            return Check.error(CLOCK, what + " (more than " + ERROR_SKEW.toMinutes() + " min)", fix);
        }
        if (seconds > WARN_SKEW.toSeconds()) {
            return Check.warning(CLOCK, what + " (more than " + WARN_SKEW.toSeconds() + " s)", fix);
        }
        return Check.ok(CLOCK, "within " + Math.max(1, seconds) + " s of the API's");
    }
}
