package ai.infinium.connector.cli.doctor;

import java.util.Locale;

/**
 * One finding of {@code infinium doctor}: what was looked at, how it stands, in words, and what to
 * do about it (null when there is nothing to do).
 */
public record Check(String name, Level level, String what, String fix) {
    /** Errors stop traces from arriving; warnings may cost some, or make them wrong. */
    public enum Level {
        OK, WARNING, ERROR;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static Check ok(String name, String what) {
        return new Check(name, Level.OK, what, null);
    }

    public static Check warning(String name, String what, String fix) {
        return new Check(name, Level.WARNING, what, fix);
    }

    public static Check error(String name, String what, String fix) {
        return new Check(name, Level.ERROR, what, fix);
    }
}
