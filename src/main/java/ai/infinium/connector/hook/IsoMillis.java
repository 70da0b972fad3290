package ai.infinium.connector.hook;

/** ISO-8601 UTC with exactly three fraction digits, without initialising java.time on the hot path. */
public final class IsoMillis {
    private IsoMillis() {}

    public static String now() {
        return format(System.currentTimeMillis());
    }

    public static String format(long epochMillis) {
        long days = Math.floorDiv(epochMillis, 86_400_000L);
        int msOfDay = (int) Math.floorMod(epochMillis, 86_400_000L);
        // Civil date from days since 1970-01-01 (the proleptic Gregorian algorithm java.time uses).
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yoe + era * 400 + (month <= 2 ? 1 : 0));
        StringBuilder sb = new StringBuilder(24);
        pad(sb, year, 4).append('-');
        pad(sb, month, 2).append('-');
        pad(sb, day, 2).append('T');
        pad(sb, msOfDay / 3_600_000, 2).append(':');
        pad(sb, msOfDay / 60_000 % 60, 2).append(':');
        pad(sb, msOfDay / 1000 % 60, 2).append('.');
        pad(sb, msOfDay % 1000, 3).append('Z');
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
