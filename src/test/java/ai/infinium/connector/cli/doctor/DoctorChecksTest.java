package ai.infinium.connector.cli.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.export.Outbox;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdicts of the checks that need no agent or API to be shown: the launcher's words, the server, the spool folder. */
class DoctorChecksTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    @Test
    void theArchiveIsReadFromWhatTheLauncherAnnounced() {
        assertThat(LauncherChecks.archive("start-up archive: aot /x/infinium-25.aot (used)").level()).isEqualTo(Check.Level.OK);
        assertThat(LauncherChecks.archive("start-up archive: dyncds /x/a.jsa (not used: creation started in the background)")
                .level()).isEqualTo(Check.Level.OK);
        Check failed = LauncherChecks.archive("start-up archive: appcds /x/a.jsa (not used: creation failed for this jar,"
                + " see /x/a.jsa.failed)");
        assertThat(failed.level()).isEqualTo(Check.Level.WARNING);
        assertThat(failed.what()).contains("/x/a.jsa.failed");
        assertThat(LauncherChecks.archive("start-up archive: none (off)").level()).isEqualTo(Check.Level.WARNING);
        assertThat(LauncherChecks.archive(null).level()).isEqualTo(Check.Level.WARNING);
    }

    @Test
    void aJavaBelow17IsAnError() {
        Check old = LauncherChecks.java(11, "OpenJDK 11.0.2", "/opt/jdk11");
        assertThat(old.level()).isEqualTo(Check.Level.ERROR);
        assertThat(old.fix()).contains("INFINIUM_JAVA");
        assertThat(LauncherChecks.java(17, "OpenJDK 17", "/opt/jdk17").level()).isEqualTo(Check.Level.OK);
    }

    @Test
    void aServerThatHoldsItsLockButDoesNotAnswerIsAnError() {
        Check mute = ServerCheck.of(JSON.createObjectNode().put("running", true).put("pid", 42)
                .put("error", "holds its lock but does not answer on http://127.0.0.1:1"));
        assertThat(mute.level()).isEqualTo(Check.Level.ERROR);
        assertThat(mute.fix()).contains("infinium server stop");
        assertThat(ServerCheck.of(JSON.createObjectNode().put("running", false)).level()).isEqualTo(Check.Level.OK);
        Check failedStart = ServerCheck.of(JSON.createObjectNode().put("running", false)
                .put("last_start_error", "port 17000 on 127.0.0.1 is already in use by another program")
                .put("last_start_error_at", "2026-12-02T03:05:00Z"));
        assertThat(failedStart.level()).isEqualTo(Check.Level.WARNING);
        assertThat(failedStart.what()).contains("2026-12-02T03:05:00Z").contains("already in use");
        assertThat(failedStart.fix()).contains("infinium server start --foreground");
    }

    @Test
    void aSpoolFolderOthersCanReadIsAnError() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("spool"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        assertThat(SessionDirCheck.of(dir, null).level()).isEqualTo(Check.Level.OK);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Check open = SessionDirCheck.of(dir, null);
        assertThat(open.level()).isEqualTo(Check.Level.ERROR);
        assertThat(open.what()).contains("0755");
        assertThat(open.fix()).isEqualTo("run `chmod 700 " + dir + "`");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        assertThat(SessionDirCheck.of(dir, "/tmp/infinium-me is not used: it is a symbolic link").level())
                .isEqualTo(Check.Level.WARNING);
    }

    @Test
    void rejectedTracesAreAWarningWithTheRetry() {
        Check c = OutboxCheck.of(new Outbox.Counts(1, 2, null, 0), "`infinium retry --rejected` all", List.of()).get(0);
        assertThat(c.level()).isEqualTo(Check.Level.WARNING);
        assertThat(c.fix()).contains("infinium retry --rejected");
    }

    @Test
    void theClockIsComparedWithTheApisDate() {
        Instant now = Instant.parse("2026-12-01T12:00:00Z");
        assertThat(ApiChecks.clock("Tue, 01 Dec 2026 12:00:30 GMT", now).level()).isEqualTo(Check.Level.OK);
        assertThat(ApiChecks.clock("Tue, 01 Dec 2026 12:02:00 GMT", now).level()).isEqualTo(Check.Level.WARNING);
        assertThat(ApiChecks.clock("Tue, 01 Dec 2026 11:50:00 GMT", now).level()).isEqualTo(Check.Level.ERROR);
        assertThat(ApiChecks.clock("yesterday", now).level()).isEqualTo(Check.Level.WARNING);
    }

    @Test
    void plainOutputHasNoColourAndColouredOutputHasTheTags() {
        DoctorReport r = new DoctorReport();
        r.add(Check.ok("a", "fine"));
        r.add(Check.error("b", "broken", "mend it"));
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        r.print(new PrintStream(plain, true, StandardCharsets.UTF_8), false);
        assertThat(plain.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b").contains("ERROR   b  broken")
                .contains("fix: mend it").contains("1 error(s), 0 warning(s) in 2 checks");
        ByteArrayOutputStream coloured = new ByteArrayOutputStream();
        r.print(new PrintStream(coloured, true, StandardCharsets.UTF_8), true);
        assertThat(coloured.toString(StandardCharsets.UTF_8)).contains("\u001b[31;1mERROR");
        assertThat(TerminalColour.wanted(java.util.Map.of("NO_COLOR", "1"), true)).isFalse();
        assertThat(TerminalColour.wanted(java.util.Map.of(), false)).isFalse();
    }
}
