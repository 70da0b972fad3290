package ai.infinium.connector.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Edits of a user's TOML file that are kept only when a TOML parser proves them to be exactly
 * the change meant. The original must parse: a file its own program cannot read is not ours to
 * guess at. After each edit the text must parse to the original's values plus the keys set, and
 * nothing else changed. Anything else is refused with a {@link ConfigException} that says what to
 * add by hand; nothing is written here, so a refusal leaves the file as it was.
 */
public final class CheckedTomlEdit {
    private final Path file;
    private final ObjectNode original;
    private final TomlTableEditor editor;
    private ObjectNode expected;
    private boolean changed;

    /** @param text the file's text ("" for a file that does not exist) */
    public CheckedTomlEdit(Path file, String text) throws ConfigException {
        this.file = file;
        try {
            this.original = TomlTree.parse(text);
        } catch (TomlTree.Invalid e) {
            throw new ConfigException(file + " is not valid TOML: " + e.getMessage() + ". It was left untouched: "
                    + "fix it by hand (what reads the file cannot read it either), then run this again");
        }
        this.expected = original.deepCopy();
        this.editor = new TomlTableEditor(text);
    }

    /** The original's values. */
    public ObjectNode tree() {
        return original;
    }

    public boolean changed() {
        return changed;
    }

    /** The edited text, to write when {@link #changed()}. */
    public String text() {
        return editor.text();
    }

    /**
     * Sets {@code key = value} in {@code table} or refuses.
     *
     * @param table   the table's names, unquoted ({@code List.of("projects", "/home/me/app")})
     * @param value   TOML text ({@code true}, {@code "trusted"})
     * @param purpose what the edit is for, said when refusing ({@code "enable Codex hooks"})
     */
    public void set(List<String> table, String key, String value, String purpose) throws ConfigException {
        ObjectNode next = expected.deepCopy();
        ObjectNode parent = next;
        for (int i = 0; i < table.size(); i++) {
            JsonNode child = parent.get(table.get(i));
            if (child == null) {
                child = parent.putObject(table.get(i));
            }
            if (!(child instanceof ObjectNode o)) {
                String name = TomlTableEditor.path(table.subList(0, i + 1));
                throw refused(purpose, "`" + name + "` is " + kind(child, name) + " there, not a table", table, key, value,
                        "in place of the `" + name + "` there now");
            }
            parent = o;
        }
        if (parent.get(key) instanceof ObjectNode) {
            String name = TomlTableEditor.path(append(table, key));
            throw refused(purpose, "`" + name + "` is a table there", table, key, value,
                    "in place of the `" + name + "` table there now");
        }
        parent.set(key, TomlTree.value(value));
        try {
            editor.set(table, key, value);
        } catch (TomlTableEditor.CannotEdit e) {
            throw refused(purpose, e.getMessage(), table, key, value, null);
        }
        ObjectNode edited;
        try {
            edited = TomlTree.parse(editor.text());
        } catch (TomlTree.Invalid e) {
            throw refused(purpose, "the edit would not be valid TOML: " + e.getMessage(), table, key, value, null);
        }
        if (!edited.equals(next)) {
            throw refused(purpose, "the edit would change other values too", table, key, value, null);
        }
        expected = next;
        changed = true;
    }

    /** @param instead where the lines go when something else stands there now; null: merged with what is there */
    private ConfigException refused(String purpose, String why, List<String> table, String key, String value,
            String instead) {
        String name = TomlTableEditor.path(table);
        String wanted = "[" + name + "]\n    " + TomlTableEditor.path(List.of(key)) + " = " + value;
        return new ConfigException("cannot " + purpose + " in " + file + " safely: " + why + ". The file was left "
                + "untouched. Edit it by hand so that it holds\n    " + wanted + "\n("
                + (instead != null ? instead : "merged into the `[" + name + "]` table or `" + name + ".` keys it has, if any")
                + "), then run this again.");
    }

    private static String kind(JsonNode n, String name) {
        if (n.isArray()) {
            return !n.isEmpty() && n.get(0).isObject() ? "an array of tables ([[" + name + "]])" : "an array";
        }
        return n.isTextual() ? "a string" : n.isBoolean() ? "a boolean" : n.isNumber() ? "a number" : "a value";
    }

    private static List<String> append(List<String> names, String last) {
        List<String> out = new java.util.ArrayList<>(names);
        out.add(last);
        return out;
    }
}
