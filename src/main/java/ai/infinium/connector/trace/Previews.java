package ai.infinium.connector.trace;

/** Cuts text to a limit, marking the cut, so previews never exceed what the settings allow. */
public final class Previews {
    private Previews() {}

    public static String cut(String s, int max) {
        if (s == null) {
            return null;
        }
        if (max <= 0) {
            return "";
        }
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
