package ai.infinium.connector.spool;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default spool folder, {@code $TMPDIR/infinium-<user>}, in a shared temp dir another local
 * user can write to: the hook records into it only when it is a real folder of ours, owner-only;
 * a link or another user's folder is refused, the event goes to the private fallback under the
 * state dir, and status says why. Real files, a real second uid where the test runs as root.
 */
class SessionDirGuardTest {
    @TempDir Path tmp;
    TestEnv env;
    Path sharedTmp;
    Path wanted;
    Path fallback;

    @BeforeEach
    void setUp() throws Exception {
        sharedTmp = Files.createDirectories(tmp.resolve("shared-tmp"));
        Files.setPosixFilePermissions(sharedTmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        env = new TestEnv(tmp).with("CONNECTOR_SESSION_DIR", null).with("TMPDIR", sharedTmp.toString())
                .with("USER", "alice");
        wanted = sharedTmp.resolve("infinium-alice");
        fallback = env.dirs().state().resolve("sessions");
    }

    void recordAnEvent() {
        env.hookWithoutFlush("claude-code", ("{\"session_id\":\"s1\",\"cwd\":\"" + tmp
                + "\",\"hook_event_name\":\"SessionStart\"}").getBytes());
    }

    @Test
    void aMissingFolderIsCreatedOwnerOnlyAndUsed() throws Exception {
        recordAnEvent();
        assertThat(wanted.resolve("claude-code/s1.jsonl")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wanted))).isEqualTo("rwx------");
        assertThat(fallback).doesNotExist();
    }

    @Test
    void ourOwnLooseFolderIsTightened() throws Exception {
        Files.createDirectory(wanted);
        Files.setPosixFilePermissions(wanted, PosixFilePermissions.fromString("rwxr-xr-x"));
        recordAnEvent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wanted))).isEqualTo("rwx------");
        assertThat(wanted.resolve("claude-code/s1.jsonl")).exists();
    }

    @Test
    void aPlantedLinkIsNotFollowed() throws Exception {
        Path attackers = Files.createDirectories(tmp.resolve("attackers-folder"));
        Files.createSymbolicLink(wanted, attackers);
        recordAnEvent();
        try (var s = Files.list(attackers)) {
            assertThat(s.toList()).as("nothing lands behind the link").isEmpty();
        }
        assertThat(fallback.resolve("claude-code/s1.jsonl")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fallback))).isEqualTo("rwx------");
        TestEnv.Result status = env.run(tmp, "status");
        assertThat(status.out()).contains("Sessions:     " + fallback)
                .contains(wanted + " is not used: it is a symbolic link (to " + attackers + ")");
        assertThat(Files.readString(env.dirs().state().resolve("infinium.log"))).contains("is a symbolic link");
    }

    @Test
    void anotherUsersFolderIsRefused() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to give a folder to a second uid");
        Files.createDirectory(wanted);
        Files.setPosixFilePermissions(wanted, PosixFilePermissions.fromString("rwxrwxrwx"));
        UserPrincipal nobody = wanted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(wanted, nobody);
        recordAnEvent();
        try (var s = Files.list(wanted)) {
            assertThat(s.toList()).as("nothing written into another user's folder").isEmpty();
        }
        assertThat(fallback.resolve("claude-code/s1.jsonl")).exists();
        assertThat(env.run(tmp, "status").out()).contains("it belongs to another user (uid ");
    }

    @Test
    void aLinkPlantedAtTheSpoolFileIsNotWrittenThrough() throws Exception {
        recordAnEvent();
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "untouched\n");
        Files.createSymbolicLink(wanted.resolve("claude-code/s2.jsonl"), victim);
        env.hookWithoutFlush("claude-code", ("{\"session_id\":\"s2\",\"cwd\":\"" + tmp
                + "\",\"hook_event_name\":\"SessionStart\"}").getBytes());
        assertThat(Files.readString(victim)).isEqualTo("untouched\n");
    }

    /** Links planted at the other paths the hook and the flush write: the marker, locks, the malformed log. */
    @Test
    void noFileInTheFolderIsWrittenThroughALink() throws Exception {
        recordAnEvent();
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "untouched\n");
        for (String name : new String[] {".stale-scan", "claude-code/s3.lock", "claude-code/.s3.jsonl.lock",
                "claude-code/malformed.jsonl"}) {
            Files.deleteIfExists(wanted.resolve(name));
            Files.createSymbolicLink(wanted.resolve(name), victim);
        }
        Files.setLastModifiedTime(victim, java.nio.file.attribute.FileTime.fromMillis(0));
        env.hook("claude-code", ("{\"session_id\":\"s3\",\"cwd\":\"" + tmp + "\",\"prompt_id\":\"p\","
                + "\"hook_event_name\":\"Stop\"}").getBytes());
        env.hookWithoutFlush("claude-code", "this is not json".getBytes());
        assertThat(Files.readString(victim)).isEqualTo("untouched\n");
        assertThat(Files.getLastModifiedTime(victim).toMillis()).as("not even touched").isZero();
    }

    /** Our folder left writable by others: what another uid planted in it meanwhile is removed, not appended to. */
    @Test
    void whatAnotherUserPlantedInOurLooseFolderIsRemoved() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to plant a file as a second uid");
        Files.createDirectories(wanted.resolve("claude-code"));
        Files.setPosixFilePermissions(wanted, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(wanted.resolve("claude-code"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Path planted = Files.writeString(wanted.resolve("claude-code/s1.jsonl"), "");
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rw-rw-rw-"));
        UserPrincipal nobody = wanted.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(planted, nobody);
        recordAnEvent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wanted))).isEqualTo("rwx------");
        assertThat(Files.getOwner(wanted.resolve("claude-code/s1.jsonl"))).as("a new spool of ours").isNotEqualTo(nobody);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wanted.resolve("claude-code/s1.jsonl"))))
                .isEqualTo("rw-------");
    }
}
