package ai.infinium.connector.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The redaction's last sweep reaches every string of a trace: found by reflection, so a field
 * added to a trace record and forgotten in {@link TraceStrings} fails here.
 */
class TraceStringsTest {

    @Test
    void everyStringComponentOfEveryRecordIsMapped() throws Exception {
        Trace t = (Trace) filled(Trace.class);
        Trace mapped = TraceStrings.map(t, s -> s == null ? null : "MAPPED");
        List<String> unmapped = new ArrayList<>();
        walk(mapped, "trace", unmapped);
        assertThat(unmapped).isEmpty();
    }

    /** A record of {@code type} with every component set: strings to "original", lists to one element. */
    static Object filled(Class<?> type) throws Exception {
        RecordComponent[] cs = type.getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            Class<?> c = cs[i].getType();
            types[i] = c;
            if (c == String.class) {
                args[i] = "original";
            } else if (c == int.class || c == Integer.class) {
                args[i] = 1;
            } else if (c == long.class || c == Long.class) {
                args[i] = 1L;
            } else if (c == double.class || c == Double.class) {
                args[i] = 1.0;
            } else if (c == Boolean.class || c == boolean.class) {
                args[i] = true;
            } else if (c == List.class) {
                String element = cs[i].getGenericType().getTypeName().replaceAll(".*<(.*)>", "$1");
                args[i] = List.of(filled(Class.forName(element)));
            } else if (c == Map.class) {
                Map<String, Object> tags = new LinkedHashMap<>();
                tags.put("text", "original");
                tags.put("number", 3);
                args[i] = tags;
            } else if (c.isRecord()) {
                args[i] = filled(c);
            } else {
                throw new AssertionError("a trace component of a type this test does not know: " + c);
            }
        }
        return type.getDeclaredConstructor(types).newInstance(args);
    }

    static void walk(Object o, String path, List<String> unmapped) throws Exception {
        if (o instanceof String) {
            if (!o.equals("MAPPED")) {
                unmapped.add(path);
            }
        } else if (o instanceof List) {
            for (Object e : (List<?>) o) {
                walk(e, path + "[]", unmapped);
            }
        } else if (o instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                walk(e.getKey(), path + ".key", unmapped);
                walk(e.getValue(), path + "." + e.getKey(), unmapped);
            }
        } else if (o != null && o.getClass().isRecord()) {
            for (RecordComponent c : o.getClass().getRecordComponents()) {
                walk(c.getAccessor().invoke(o), path + "." + c.getName(), unmapped);
            }
        }
    }
}
