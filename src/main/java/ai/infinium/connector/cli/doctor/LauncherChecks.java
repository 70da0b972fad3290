package ai.infinium.connector.cli.doctor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The launcher this doctor was started by, the JDK it chose and its class-data archive: the hooks
 * start the same way, so what is wrong here is wrong for every event.
 */
public final class LauncherChecks {
    static final int NEEDED_JAVA = 17;
    private static final String LAUNCHED_PREFIX = "start-up archive: ";

    private LauncherChecks() {}

    /**
     * @param env this process's environment: the launcher exports {@code INFINIUM_LAUNCHER} (itself)
     *     and {@code INFINIUM_LAUNCHED} (the archive it chose)
     */
    public static List<Check> of(Map<String, String> env) {
        List<Check> out = new ArrayList<>();
        out.add(launcher(env.get("INFINIUM_LAUNCHER")));
        out.add(java(Runtime.version().feature(), System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"), System.getProperty("java.home")));
        out.add(archive(env.get("INFINIUM_LAUNCHED")));
        return out;
    }

    static Check launcher(String launcher) {
        if (launcher == null || launcher.isBlank()) {
            return Check.warning("launcher", "not started through bin/infinium: `init` from here writes hooks that run"
                    + " java directly, without the start-up archive", "run `infinium` through its bin/infinium launcher");
        }
        Path p = Path.of(launcher);
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            return Check.error("launcher", launcher + " no longer exists or is not executable",
                    "reinstall infinium, then run `infinium init` again in each project");
        }
        return Check.ok("launcher", p.toAbsolutePath().normalize().toString());
    }

    static Check java(int feature, String version, String home) {
        String what = version + " (" + home + ")";
        if (feature < NEEDED_JAVA) {
            return Check.error("java", what + ": infinium needs Java " + NEEDED_JAVA + " or newer",
                    "install a JDK " + NEEDED_JAVA + "+ and set INFINIUM_JAVA or JAVA_HOME to it");
        }
        return Check.ok("java", what);
    }

    /** Reads what the launcher announced: {@code start-up archive: KIND [FILE] (STATE)}. */
    static Check archive(String launched) {
        if (launched == null || !launched.startsWith(LAUNCHED_PREFIX)) {
            return Check.warning("start-up archive", "unknown: not started through bin/infinium",
                    "run `infinium doctor` through its bin/infinium launcher");
        }
        String rest = launched.substring(LAUNCHED_PREFIX.length()).strip();
        int open = rest.lastIndexOf(" (");
        String state = open >= 0 && rest.endsWith(")") ? rest.substring(open + 2, rest.length() - 1) : "";
        String kindAndFile = open >= 0 ? rest.substring(0, open) : rest;
        if (kindAndFile.startsWith("none")) {
            return Check.warning("start-up archive", "off: each hook starts the JVM cold (slower)",
                    "unset INFINIUM_NO_ARCHIVE, or use a JDK whose version the launcher can read");
        }
        if (state.equals("used")) {
            return Check.ok("start-up archive", kindAndFile + " (used)");
        }
        if (state.contains("failed")) {
            return Check.warning("start-up archive", kindAndFile + " (" + state + "): hooks start slower",
                    "read the .failed file it names; delete it to let the launcher try again");
        }
        // being created, or created in the background: the next runs use it
        return Check.ok("start-up archive", kindAndFile + " (" + state + ")");
    }
}
