package ai.infinium.connector.hook;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** ISO-8601 UTC with exactly three fraction digits, without loading java.time's formatter machinery. */
public final class IsoMillis {
    private IsoMillis() {}

    public static String now() {
        return format(System.currentTimeMillis());
    }

    public static String format(long epochMillis) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), 0, ZoneOffset.UTC);
        int ms = (int) Math.floorMod(epochMillis, 1000);
        StringBuilder sb = new StringBuilder(24);
        pad(sb, t.getYear(), 4).append('-');
        pad(sb, t.getMonthValue(), 2).append('-');
        pad(sb, t.getDayOfMonth(), 2).append('T');
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2).append('.');
        pad(sb, ms, 3).append('Z');
        return sb.toString();
    }

    private static StringBuilder pad(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
