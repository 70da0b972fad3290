package ai.infinium.connector.agent.gemini;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Gemini's own timestamps (ISO-8601 UTC, in every hook payload and chats message) as epoch millis. */
final class GeminiTime {
    private GeminiTime() {}

    /** 0 for a missing or unreadable stamp: the caller falls back to when the hook received the event. */
    static long millis(String iso) {
        if (iso == null || iso.isBlank()) {
            return 0;
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
