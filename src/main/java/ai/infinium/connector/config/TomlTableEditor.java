package ai.infinium.connector.config;

import ai.infinium.connector.config.TomlLayout.Header;
import ai.infinium.connector.config.TomlLayout.Item;
import ai.infinium.connector.config.TomlLayout.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Sets one {@code key = value} of a user's TOML file (Codex's {@code config.toml}) by editing
 * text, touching nothing else: every comment, blank line, line ending and the order of tables
 * survive, which a parse-and-rewrite would lose. The key goes where the file already defines its
 * table, in the form the file uses: a value already there is replaced in place (under a header,
 * as a dotted key, or inside an inline table); a missing key joins its {@code [table]}, its
 * inline table, or the dotted keys that define the table ({@code features.web_search} gets a
 * {@code features.hooks} beside it, because a {@code [features]} header after those is invalid);
 * only a table defined nowhere gets a new {@code [table]} at the end. It does not validate:
 * {@link CheckedTomlEdit} parses the result and refuses what is not exactly the intended change.
 */
public final class TomlTableEditor {
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9_-]+");

    /** The file gives this editor no safe place for the key; the message says why. */
    public static final class CannotEdit extends Exception {
        CannotEdit(String message) {
            super(message);
        }
    }

    private String text;
    private final String eol;

    public TomlTableEditor(String text) {
        this.text = text;
        int nl = text.indexOf('\n');
        // New lines take the file's own line ending (Windows editors write CRLF).
        this.eol = nl > 0 && text.charAt(nl - 1) == '\r' ? "\r\n" : "\n";
    }

    public String text() {
        return text;
    }

    /** Sets {@code key = value} in {@code table} (names unquoted; root is empty); {@code value} is TOML text. */
    public void set(List<String> table, String key, String value) throws CannotEdit {
        List<Item> items;
        try {
            items = TomlLayout.of(text);
        } catch (TomlLayout.Unreadable e) {
            throw new CannotEdit("its layout is more than this editor can follow (" + e.getMessage() + ")");
        }
        Placement where = new Placement(table, key);
        List<String> section = List.of();
        boolean inTable = false;
        for (Item item : items) {
            if (item instanceof Header h) {
                section = h.names();
                inTable = h.names().equals(table);
                if (inTable && h.arrayOfTables()) {
                    throw new CannotEdit("`" + path(table) + "` is an array of tables there ([[" + path(table) + "]])");
                }
                if (inTable) {
                    where.tableEnd = h.lineEnd();
                }
            } else if (item instanceof Pair p) {
                if (inTable) {
                    where.tableEnd = p.lineEnd();
                }
                where.visit(p, concat(section, p.key().names()), section);
            }
        }
        String line = path(List.of(key)) + " = " + value;
        if (where.assignment != null) {
            text = text.substring(0, where.assignment.valueStart()) + value + text.substring(where.assignment.valueEnd());
        } else if (where.tableEnd >= 0) {
            insertLineAt(where.tableEnd, line);
        } else if (where.inlineTable != null) {
            addToInlineTable(where.inlineTable, path(where.full.subList(where.inlinePath.size(), where.full.size())), value);
        } else if (where.dottedSibling != null) {
            insertLineAt(where.dottedSibling.lineEnd(), String.join(".", where.siblingPrefix) + "." + line);
        } else {
            appendTable(table, line);
        }
    }

    /** What a scan found for one key: where it is assigned, or what already defines its table. */
    private static final class Placement {
        final List<String> table;
        final List<String> full;
        Pair assignment;
        int tableEnd = -1;
        Pair inlineTable;
        List<String> inlinePath;
        Pair dottedSibling;
        List<String> siblingPrefix;

        Placement(List<String> table, String key) {
            this.table = table;
            this.full = concat(table, List.of(key));
        }

        /** {@code p} sits at {@code path} (its section's names plus its key's). */
        void visit(Pair p, List<String> path, List<String> section) {
            if (path.equals(full)) {
                assignment = p;
            } else if (p.inlineTable() && startsWith(full, path)) {
                if (inlinePath == null || path.size() > inlinePath.size()) { // the innermost one holds the key
                    inlineTable = p;
                    inlinePath = path;
                }
                for (Pair e : p.entries()) {
                    visit(e, concat(path, e.key().names()), null);
                }
            } else if (section != null && section.size() < table.size() && path.size() > table.size()
                    && startsWith(path, table)) {
                // A top-level dotted key that defines the table (features.web_search = true).
                dottedSibling = p;
                siblingPrefix = p.key().raw().subList(0, table.size() - section.size());
            }
        }
    }

    /**
     * Inserts {@code line} as a line of its own at {@code offset}, the start of a line or the end
     * of the text, indented like the line before it (the key it joins).
     */
    private void insertLineAt(int offset, String line) {
        int before = text.lastIndexOf('\n', offset == text.length() && !endsWithNewline() ? offset : offset - 2) + 1;
        int indent = before;
        while (indent < text.length() && (text.charAt(indent) == ' ' || text.charAt(indent) == '\t')) {
            indent++;
        }
        line = text.substring(before, indent) + line;
        if (offset == text.length() && !endsWithNewline()) {
            text = text + eol + line; // the file's last line stays as unterminated as it was
        } else {
            text = text.substring(0, offset) + line + eol + text.substring(offset);
        }
    }

    private void addToInlineTable(Pair inline, String key, String value) {
        String entry = key + " = " + value;
        if (inline.entries().isEmpty()) {
            text = text.substring(0, inline.valueStart()) + "{ " + entry + " }" + text.substring(inline.valueEnd());
        } else {
            int at = inline.entries().get(inline.entries().size() - 1).valueEnd();
            text = text.substring(0, at) + ", " + entry + text.substring(at);
        }
    }

    private void appendTable(List<String> table, String line) {
        StringBuilder add = new StringBuilder();
        if (!text.isEmpty() && !endsWithNewline()) {
            add.append(eol);
        }
        if (!text.isEmpty() && !lastLineBlank()) {
            add.append(eol);
        }
        add.append('[').append(path(table)).append(']').append(eol).append(line);
        if (text.isEmpty() || endsWithNewline()) {
            add.append(eol);
        }
        text = text + add;
    }

    private boolean endsWithNewline() {
        return text.endsWith("\n");
    }

    private boolean lastLineBlank() {
        String body = endsWithNewline() ? text.substring(0, text.length() - 1) : text;
        return body.substring(body.lastIndexOf('\n') + 1).isBlank();
    }

    /** Names as a TOML dotted key: bare where allowed, else basic strings. */
    public static String path(List<String> names) {
        List<String> parts = new ArrayList<>();
        for (String n : names) {
            parts.add(BARE.matcher(n).matches() ? n : quoted(n));
        }
        return String.join(".", parts);
    }

    /** A TOML basic string. */
    static String quoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04X", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static boolean startsWith(List<String> list, List<String> prefix) {
        return list.size() >= prefix.size() && list.subList(0, prefix.size()).equals(prefix);
    }
}
