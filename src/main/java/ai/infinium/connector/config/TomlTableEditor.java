package ai.infinium.connector.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Line-level edits of a user's TOML file (Codex's {@code config.toml}): read or set one
 * {@code key = value} in one table, touching nothing else, so every comment, blank line and the
 * order of tables survive. TOML round-trips through a parser lose comments (tested), hence lines.
 * Handles the forms people and Codex write: {@code [table]} headers, quoted header segments such
 * as {@code [projects."/home/me/app"]}, and bare keys.
 */
public final class TomlTableEditor {
    private final List<String> lines;

    public TomlTableEditor(String text) {
        lines = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
    }

    public String text() {
        return String.join("\n", lines) + "\n";
    }

    /** A TOML basic string, for keys and header segments such as paths. */
    public static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The raw value text of {@code key} in {@code table} (e.g. {@code true}), without a trailing comment. */
    public Optional<String> get(String table, String key) {
        int[] range = section(table);
        if (range == null) {
            return Optional.empty();
        }
        for (int i = range[0]; i < range[1]; i++) {
            String v = valueIfKey(lines.get(i), key);
            if (v != null) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Sets {@code key = value} ({@code value} already TOML, e.g. {@code true} or a quoted string). */
    public void set(String table, String key, String value) {
        int[] range = section(table);
        if (range == null) {
            if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
                lines.add("");
            }
            lines.add("[" + table + "]");
            lines.add(key + " = " + value);
            return;
        }
        int lastKey = range[0] - 1;
        for (int i = range[0]; i < range[1]; i++) {
            String line = lines.get(i);
            if (valueIfKey(line, key) != null) {
                int eq = line.indexOf('=');
                String comment = trailingComment(line.substring(eq + 1));
                lines.set(i, line.substring(0, eq + 1) + " " + value + (comment.isEmpty() ? "" : " " + comment));
                return;
            }
            if (!line.isBlank() && !line.trim().startsWith("#")) {
                lastKey = i;
            }
        }
        lines.add(lastKey + 1, key + " = " + value);
    }

    /** [first line after the header, first line of the next header) of a table; root is "". */
    private int[] section(String table) {
        int start = -1;
        if (table.isEmpty()) {
            start = 0;
        } else {
            for (int i = 0; i < lines.size(); i++) {
                String h = header(lines.get(i));
                if (h != null && normalize(h).equals(normalize(table))) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                return null;
            }
        }
        int end = start;
        while (end < lines.size() && header(lines.get(end)) == null) {
            end++;
        }
        return new int[] {start, end};
    }

    /** The table name of a {@code [table]} header line (arrays of tables count as headers too). */
    private static String header(String line) {
        String t = line.trim();
        if (!t.startsWith("[")) {
            return null;
        }
        int close = t.lastIndexOf(']');
        if (close < 0) {
            return null;
        }
        String inner = t.substring(t.startsWith("[[") ? 2 : 1, t.startsWith("[[") ? Math.max(2, close - 1) : close);
        return t.startsWith("[[") ? "[[" + inner.trim() : inner.trim();
    }

    /** Whitespace around dots and outside quotes does not matter in a table name. */
    private static String normalize(String name) {
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' && (i == 0 || name.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (quoted || !Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String valueIfKey(String line, String key) {
        String t = line.trim();
        if (t.isEmpty() || t.startsWith("#")) {
            return null;
        }
        int eq = t.indexOf('=');
        if (eq < 0) {
            return null;
        }
        String k = t.substring(0, eq).trim();
        if (!k.equals(key) && !k.equals(quoted(key))) {
            return null;
        }
        String v = t.substring(eq + 1);
        String comment = trailingComment(v);
        return v.substring(0, v.length() - comment.length()).trim();
    }

    /** The {@code # …} part after a value, if any (a '#' inside a quoted string is not a comment). */
    private static String trailingComment(String value) {
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                return value.substring(i).trim();
            }
        }
        return "";
    }
}
