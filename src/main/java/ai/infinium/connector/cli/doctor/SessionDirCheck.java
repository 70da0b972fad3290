package ai.infinium.connector.cli.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The spool folder, where the hooks write what they record: it must be ours and owner-only, since
 * it holds prompts and tool output. {@code UserDirs} already refuses a bad one and falls back; this
 * says so, and checks the folder in use.
 */
public final class SessionDirCheck {
    static final String NAME = "session dir";

    private SessionDirCheck() {}

    /** @param refusal why the usual folder was refused ({@code UserDirs.sessionDirRefusal}), or null */
    public static Check of(Path dir, String refusal) {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException notUnix) {
            return Check.ok(NAME, dir + " (permissions come from the user profile)");
        } catch (IOException e) {
            return Check.error(NAME, dir + " cannot be read: " + ai.infinium.connector.diag.ErrorWords.of(e),
                    "make it a folder of yours with mode 0700 (`mkdir -m 700`), or set CONNECTOR_SESSION_DIR");
        }
        int mode = (Integer) a.get("mode") & 0777;
        Integer me = currentUid();
        if (me != null && !me.equals(a.get("uid"))) {
            return Check.error(NAME, dir + " belongs to uid " + a.get("uid") + ", not to you (uid " + me + ")",
                    "remove it or set CONNECTOR_SESSION_DIR to a folder of yours");
        }
        String what = dir + ", yours, mode " + String.format("%04o", mode);
        if ((mode & 0077) != 0) {
            return Check.error(NAME, what + ": others can read what the hooks record", "run `chmod 700 " + dir + "`");
        }
        if (refusal != null) {
            return Check.warning(NAME, refusal, "remove the refused folder (or make it yours, mode 0700) so the"
                    + " spool goes back to the temp dir, or set CONNECTOR_SESSION_DIR");
        }
        return Check.ok(NAME, what);
    }

    private static Integer currentUid() {
        Path self = Path.of("/proc/self");
        try {
            return Files.exists(self) ? (Integer) Files.getAttribute(self, "unix:uid") : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
