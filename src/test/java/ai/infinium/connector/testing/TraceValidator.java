package ai.infinium.connector.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The trace rules {@link FakeInfiniumApi} enforces (infinium-api.md §3.1, connector-spec §6).
 * Lengths are counted in Unicode code points, as Python's {@code len} does.
 */
final class TraceValidator {
    private TraceValidator() {}

    static final int MAX_NAME = 500;
    static final int MAX_DESCRIPTION = 10_000;
    static final double MAX_DURATION = 86_400;

    /** A failed rule: the offending top-level field and a human-readable message. */
    record Violation(String field, String message) {}

    /** Returns the first violated rule, or {@code null} if the trace is acceptable. */
    static Violation validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            return new Violation("body", "Request body must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (e.getValue().isNull()) {
                return new Violation(e.getKey(), e.getKey() + " must not be null");
            }
        }

        JsonNode name = body.get("name");
        if (name == null) {
            return new Violation("name", "name is required");
        }
        if (!name.isTextual()) {
            return new Violation("name", "name must be a string");
        }
        if (name.textValue().isEmpty()) {
            return new Violation("name", "name must not be empty");
        }
        if (codePoints(name.textValue()) > MAX_NAME) {
            return new Violation("name", "name must be at most " + MAX_NAME + " characters");
        }

        JsonNode description = body.get("description");
        if (description == null) {
            return new Violation("description", "description is required");
        }
        if (!description.isTextual()) {
            return new Violation("description", "description must be a string");
        }
        if (codePoints(description.textValue()) > MAX_DESCRIPTION) {
            return new Violation("description", "description must be at most " + MAX_DESCRIPTION + " characters");
        }

        JsonNode when = body.get("current_datetime");
        if (when == null) {
            return new Violation("current_datetime", "current_datetime is required");
        }
        if (!when.isTextual()) {
            return new Violation("current_datetime", "current_datetime must be an ISO-8601 string");
        }
        Violation dt = checkDatetime(when.textValue());
        if (dt != null) {
            return dt;
        }

        JsonNode duration = body.get("duration");
        if (duration == null) {
            return new Violation("duration", "duration is required");
        }
        if (!duration.isNumber()) {
            return new Violation("duration", "duration must be a number");
        }
        double d = duration.doubleValue();
        if (!Double.isFinite(d)) {
            return new Violation("duration", "duration must be finite");
        }
        if (d < 0 || d > MAX_DURATION) {
            return new Violation("duration", "duration must be between 0 and " + (long) MAX_DURATION + " seconds");
        }

        JsonNode steps = body.get("steps");
        if (steps != null) {
            if (!steps.isArray()) {
                return new Violation("steps", "steps must be an array");
            }
            for (int i = 0; i < steps.size(); i++) {
                if (!steps.get(i).isObject()) {
                    return new Violation("steps", "steps[" + i + "] must be an object");
                }
            }
        }
        JsonNode errors = body.get("errors");
        if (errors != null && !errors.isArray()) {
            return new Violation("errors", "errors must be an array");
        }
        for (String field : new String[] {"llm_usage", "environment"}) {
            JsonNode v = body.get(field);
            if (v != null && !v.isObject()) {
                return new Violation(field, field + " must be an object");
            }
        }
        return null;
    }

    private static Violation checkDatetime(String text) {
        OffsetDateTime t;
        try {
            t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return new Violation("current_datetime",
                    "current_datetime must be an ISO-8601 date-time with offset: " + e.getMessage());
        }
        if (!t.getOffset().equals(ZoneOffset.UTC)) {
            return new Violation("current_datetime", "current_datetime must be in UTC (Z)");
        }
        if (t.getYear() < 1900 || t.getYear() > 2100) {
            return new Violation("current_datetime", "current_datetime year must be between 1900 and 2100");
        }
        return null;
    }

    private static int codePoints(String s) {
        return s.codePointCount(0, s.length());
    }
}
