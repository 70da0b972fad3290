package ai.infinium.connector.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The branch and commit of a work tree, from the layouts git writes. */
class GitHeadTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final String OTHER = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir Path tmp;

    Path repo(String head) throws Exception {
        Files.createDirectories(tmp.resolve("repo/.git/refs/heads"));
        Files.writeString(tmp.resolve("repo/.git/HEAD"), head + "\n");
        return tmp.resolve("repo");
    }

    @Test
    void aBranchWithALooseRefFromASubdirectory() throws Exception {
        Path repo = repo("ref: refs/heads/feature/x");
        Files.createDirectories(repo.resolve(".git/refs/heads/feature"));
        Files.writeString(repo.resolve(".git/refs/heads/feature/x"), SHA + "\n");
        Path sub = Files.createDirectories(repo.resolve("src/main"));
        assertThat(GitHead.of(sub)).contains(new GitHead("feature/x", SHA));
    }

    @Test
    void aPackedRefADetachedHeadAndABranchWithNoCommitYet() throws Exception {
        Path repo = repo("ref: refs/heads/main");
        Files.writeString(repo.resolve(".git/packed-refs"),
                "# pack-refs with: peeled fully-peeled sorted\n" + OTHER + " refs/heads/dev\n" + SHA + " refs/heads/main\n");
        assertThat(GitHead.of(repo)).contains(new GitHead("main", SHA));

        Files.writeString(repo.resolve(".git/HEAD"), OTHER + "\n");
        assertThat(GitHead.of(repo)).contains(new GitHead(null, OTHER));

        Files.delete(repo.resolve(".git/packed-refs"));
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        assertThat(GitHead.of(repo)).contains(new GitHead("main", null));
    }

    @Test
    void aLinkedWorktreeReadsItsOwnHeadAndTheMainRefs() throws Exception {
        Path repo = repo("ref: refs/heads/main");
        Files.writeString(repo.resolve(".git/refs/heads/wt"), OTHER + "\n");
        Path wtGit = Files.createDirectories(repo.resolve(".git/worktrees/wt"));
        Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/wt\n");
        Files.writeString(wtGit.resolve("commondir"), "../..\n");
        Path wt = Files.createDirectories(tmp.resolve("wt"));
        Files.writeString(wt.resolve(".git"), "gitdir: " + wtGit + "\n");
        assertThat(GitHead.of(wt)).contains(new GitHead("wt", OTHER));
    }

    @Test
    void noWorkTreeOrADamagedOneIsNothing() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        assertThat(GitHead.of(plain)).isEmpty();
        Path odd = Files.createDirectories(tmp.resolve("odd"));
        Files.writeString(odd.resolve(".git"), "not a gitdir line\n");
        assertThat(GitHead.of(odd)).isEmpty();
        assertThat(GitHead.of(null)).isEmpty();
    }
}
