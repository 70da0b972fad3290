package ai.infinium.connector.export.otlp;

import ai.infinium.connector.trace.ModelCall;
import ai.infinium.connector.trace.Step;
import ai.infinium.connector.trace.Trace;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The root span's time window, which every other span is clamped into: it ends at the trace's
 * end time and starts at the earlier of (end minus duration) and the first step. Never the
 * clock: the same trace always gives the same window.
 */
record SpanWindow(long start, long end) {

    static SpanWindow of(Trace t) {
        Long end = nanos(t.currentDatetime());
        if (end == null) {
            end = latest(t);
        }
        long start = end;
        if (t.duration() != null && t.duration() > 0) {
            start = end - Math.round(t.duration() * 1e9);
        }
        for (Step s : t.steps()) {
            Long at = nanos(s.timestamp());
            if (at != null && at < start) {
                start = at;
            }
        }
        return new SpanWindow(Math.max(0, start), end);
    }

    /** {@code v} moved into the window; {@code fallback} when there is none. */
    long clamp(Long v, long fallback) {
        long x = v == null ? fallback : v;
        return Math.max(start, Math.min(end, x));
    }

    /** An ISO-8601 time as epoch nanoseconds; null when absent or unreadable (a zone-less time is UTC). */
    static Long nanos(String iso) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        Instant i;
        try {
            i = OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException e) {
            try {
                i = LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** Without an end time: the last moment the trace names, else the epoch. */
    private static long latest(Trace t) {
        long latest = 0;
        for (Step s : t.steps()) {
            Long at = nanos(s.timestamp());
            if (at != null) {
                latest = Math.max(latest, at + (s.durationMs() == null ? 0 : s.durationMs() * 1_000_000L));
            }
        }
        for (ModelCall c : t.modelCalls()) {
            Long at = nanos(c.timestamp());
            if (at != null) {
                latest = Math.max(latest, at);
            }
        }
        return latest;
    }
}
