package ai.infinium.connector.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Where things stand in a TOML text: each table header and each {@code key = value} with its key's
 * names and the characters its value spans, the entries of inline tables included. It exists so
 * line edits land in the right place (a {@code [features]} line inside a multi-line string is not
 * a header, a value may span lines); it is not a validator: {@link TomlTree}'s parser judges the
 * text, and whatever this cannot follow is {@link Unreadable}, so the editor refuses rather than
 * guesses.
 */
final class TomlLayout {
    /** A dotted key: the names it stands for and, per name, the text the user wrote for it. */
    record Key(List<String> names, List<String> raw) {}

    /** A header or a top-level pair, in file order. */
    sealed interface Item permits Header, Pair {}

    /** {@code [names]} or {@code [[names]]}; {@code lineEnd}: the offset just past its line. */
    record Header(List<String> names, boolean arrayOfTables, int lineEnd) implements Item {}

    /**
     * {@code key = value}: the value spans [{@code valueStart}, {@code valueEnd}); {@code entries}
     * is non-null only for an inline table; {@code lineEnd} is the offset just past the line the
     * pair ends on (for an entry of an inline table, its value's end).
     */
    record Pair(Key key, int valueStart, int valueEnd, List<Pair> entries, int lineEnd) implements Item {
        boolean inlineTable() {
            return entries != null;
        }
    }

    /** Text this reader does not follow; the offset says where. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private final String s;
    private int pos;

    private TomlLayout(String text) {
        this.s = text;
    }

    static List<Item> of(String text) throws Unreadable {
        return new TomlLayout(text).items();
    }

    private List<Item> items() throws Unreadable {
        List<Item> items = new ArrayList<>();
        while (pos < s.length()) {
            skipBlanks();
            if (pos == s.length()) {
                break; // blanks after the last line's end
            } else if (atNewline()) {
                newline();
            } else if (peek() == '#') {
                skipComment();
            } else if (peek() == '[') {
                pos++;
                boolean array = peek() == '[';
                pos += array ? 1 : 0;
                Key names = key();
                expect(']');
                if (array) {
                    expect(']');
                }
                items.add(new Header(names.names(), array, endOfLine()));
            } else {
                Pair p = pair();
                items.add(new Pair(p.key(), p.valueStart(), p.valueEnd(), p.entries(), endOfLine()));
            }
        }
        return items;
    }

    private Pair pair() throws Unreadable {
        Key k = key();
        expect('=');
        skipBlanks();
        int start = pos;
        List<Pair> entries = value();
        return new Pair(k, start, pos, entries, pos);
    }

    private Key key() throws Unreadable {
        List<String> names = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        while (true) {
            skipBlanks();
            int start = pos;
            if (peek() == '"') {
                names.add(basicString());
            } else if (peek() == '\'') {
                names.add(literalString());
            } else {
                while (pos < s.length() && bare(s.charAt(pos))) {
                    pos++;
                }
                if (pos == start) {
                    throw unreadable("a key");
                }
                names.add(s.substring(start, pos));
            }
            raw.add(s.substring(start, pos));
            skipBlanks();
            if (peek() != '.') {
                return new Key(List.copyOf(names), List.copyOf(raw));
            }
            pos++;
        }
    }

    /** Skips one value; returns an inline table's entries, null for any other value. */
    private List<Pair> value() throws Unreadable {
        char c = peek();
        if (s.startsWith("\"\"\"", pos)) {
            multiLineString('"');
        } else if (s.startsWith("'''", pos)) {
            multiLineString('\'');
        } else if (c == '"') {
            basicString();
        } else if (c == '\'') {
            literalString();
        } else if (c == '[') {
            array();
        } else if (c == '{') {
            return inlineTable();
        } else {
            // Numbers, booleans, dates (which may hold a space): up to a delimiter, blanks trimmed.
            int start = pos;
            while (pos < s.length() && ",]}#\r\n".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            while (pos > start && blank(s.charAt(pos - 1))) {
                pos--;
            }
            if (pos == start) {
                throw unreadable("a value");
            }
        }
        return null;
    }

    private void array() throws Unreadable {
        pos++;
        while (true) {
            skipBlanksNewlinesComments();
            if (peek() == ']') {
                pos++;
                return;
            }
            value();
            skipBlanksNewlinesComments();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                return;
            }
        }
    }

    private List<Pair> inlineTable() throws Unreadable {
        pos++;
        List<Pair> entries = new ArrayList<>();
        while (true) {
            // Lenient about newlines and a trailing comma (TOML 1.1); the parser has the last word.
            skipBlanksNewlinesComments();
            if (peek() == '}') {
                pos++;
                return entries;
            }
            entries.add(pair());
            skipBlanksNewlinesComments();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                return entries;
            }
        }
    }

    private String basicString() throws Unreadable {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length() || atNewline() || peek() == '\r') {
                throw unreadable("the end of a string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = pos < s.length() ? s.charAt(pos++) : ' ';
            switch (e) {
                case 'b' -> sb.append('\b');
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'f' -> sb.append('\f');
                case 'r' -> sb.append('\r');
                case 'e' -> sb.append('\u001b');
                case '"', '\\' -> sb.append(e);
                case 'x' -> sb.appendCodePoint(hex(2));
                case 'u' -> sb.appendCodePoint(hex(4));
                case 'U' -> sb.appendCodePoint(hex(8));
                default -> throw unreadable("a known escape");
            }
        }
    }

    private int hex(int digits) throws Unreadable {
        if (pos + digits > s.length()) {
            throw unreadable(digits + " hex digits");
        }
        int cp;
        try {
            cp = Integer.parseInt(s.substring(pos, pos + digits), 16);
        } catch (NumberFormatException e) {
            throw unreadable(digits + " hex digits");
        }
        if (!Character.isValidCodePoint(cp)) {
            throw unreadable("a Unicode code point");
        }
        pos += digits;
        return cp;
    }

    private String literalString() throws Unreadable {
        int start = ++pos;
        while (pos < s.length() && s.charAt(pos) != '\'' && s.charAt(pos) != '\n') {
            pos++;
        }
        expect('\'');
        return s.substring(start, pos - 1);
    }

    /** {@code """…"""} or {@code '''…'''}: a closing run may hold up to two more quotes, which are content. */
    private void multiLineString(char quote) throws Unreadable {
        String delimiter = String.valueOf(quote).repeat(3);
        pos += 3;
        while (pos < s.length()) {
            if (quote == '"' && s.charAt(pos) == '\\') {
                pos += 2;
            } else if (s.startsWith(delimiter, pos)) {
                pos += 3;
                for (int extra = 0; extra < 2 && peek() == quote; extra++) {
                    pos++;
                }
                return;
            } else {
                pos++;
            }
        }
        throw unreadable("the end of a multi-line string");
    }

    /** Blanks and an optional comment, then a newline or the end; returns the offset after it. */
    private int endOfLine() throws Unreadable {
        skipBlanks();
        if (peek() == '#') {
            skipComment();
        }
        if (pos < s.length()) {
            if (!atNewline()) {
                throw unreadable("the end of the line");
            }
            newline();
        }
        return pos;
    }

    private void skipBlanksNewlinesComments() {
        while (true) {
            skipBlanks();
            if (atNewline()) {
                newline();
            } else if (peek() == '#') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipBlanks() {
        while (pos < s.length() && blank(s.charAt(pos))) {
            pos++;
        }
    }

    private void skipComment() {
        while (pos < s.length() && !atNewline()) {
            pos++;
        }
    }

    private boolean atNewline() {
        return peek() == '\n' || (peek() == '\r' && pos + 1 < s.length() && s.charAt(pos + 1) == '\n');
    }

    private void newline() {
        pos += peek() == '\r' ? 2 : 1;
    }

    private void expect(char c) throws Unreadable {
        skipBlanks();
        if (peek() != c) {
            throw unreadable("'" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private Unreadable unreadable(String expected) {
        int line = 1;
        for (int i = 0; i < Math.min(pos, s.length()); i++) {
            line += s.charAt(i) == '\n' ? 1 : 0;
        }
        return new Unreadable("expected " + expected + " on line " + line);
    }

    private static boolean blank(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean bare(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
