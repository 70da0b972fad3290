package ai.infinium.connector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The connector's version, from the jar manifest (or "dev" when run from classes). */
public final class Version {
    private Version() {}

    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * What {@code infinium --version} prints: the version and the build it comes from (commit,
     * dates), the Java running it, and the jar and start-up archive the launcher chose, so a bug
     * report says exactly what ran.
     */
    public static List<String> describe(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        java.util.jar.Attributes build = manifest();
        String commit = value(build, "Build-Commit");
        StringBuilder first = new StringBuilder("infinium " + get());
        if (commit != null) {
            first.append(" (commit ").append(commit)
                    .append(value(build, "Build-Commit-Time") == null ? "" : " of " + value(build, "Build-Commit-Time"))
                    .append("true".equals(value(build, "Build-Dirty")) ? ", with uncommitted changes" : "").append(")");
        }
        out.add(first.toString());
        if (value(build, "Build-Time") != null) {
            out.add("Built:   " + value(build, "Build-Time"));
        }
        out.add("Java:    " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.home") + ")");
        String jar = jar();
        if (jar != null) {
            out.add("Jar:     " + jar);
        }
        String launched = env.get("INFINIUM_LAUNCHED");
        out.add("Launch:  " + (launched != null && !launched.isBlank() ? launched.strip()
                : "not through bin/infinium (no start-up archive chosen)"));
        return out;
    }

    private static java.util.jar.Attributes manifest() {
        try (java.io.InputStream in = Version.class.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            return in == null ? null : new java.util.jar.Manifest(in).getMainAttributes();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** A manifest value; a placeholder Maven could not fill (a build without .git) counts as none. */
    private static String value(java.util.jar.Attributes a, String name) {
        String v = a == null ? null : a.getValue(name);
        return v == null || v.isBlank() || v.startsWith("${") ? null : v;
    }

    private static String jar() {
        try {
            java.security.CodeSource src = Version.class.getProtectionDomain().getCodeSource();
            return src == null ? null : java.nio.file.Path.of(src.getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
