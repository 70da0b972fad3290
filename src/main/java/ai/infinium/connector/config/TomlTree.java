package ai.infinium.connector.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.toml.TomlReadFeature;
import java.time.DateTimeException;

/**
 * The values a TOML text holds, as a real TOML parser (Jackson's) reads them: the check behind
 * every edit of a user's TOML file, and how {@code init} and {@code status} read one. Commands
 * only: nothing on the hook path may load a TOML parser.
 */
public final class TomlTree {
    // Dates and times as java.time values, so a date and a string that reads the same are not equal.
    private static final TomlMapper TOML = TomlMapper.builder().enable(TomlReadFeature.PARSE_JAVA_TIME).build();

    private TomlTree() {}

    /** Not TOML; the message says what and where ({@code Table redefined (the parser stopped at line 3, column 10)}). */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    public static ObjectNode parse(String text) throws Invalid {
        try {
            JsonNode tree = TOML.readTree(text);
            // An empty document reads as a missing node; a TOML document is a table.
            return tree instanceof ObjectNode o ? o : TOML.createObjectNode();
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            // Where the parser stopped: the error's line, or just past it (a duplicate key is noticed after its value).
            String where = at == null || at.getLineNr() < 1 ? ""
                    : " (the parser stopped at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            throw new Invalid(e.getOriginalMessage() + where);
        } catch (DateTimeException e) {
            // A date like 1979-13-01: java.time rejects it after the parser has let go of the position.
            throw new Invalid(e.getMessage());
        }
    }

    /** One TOML value written as text ({@code true}, {@code "trusted"}), as the parser reads it. */
    static JsonNode value(String toml) {
        try {
            return parse("v = " + toml).get("v");
        } catch (Invalid e) {
            throw new IllegalArgumentException("not a TOML value: " + toml, e);
        }
    }
}
