package ai.infinium.connector.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The branch and commit a directory's git work tree has checked out, read from the files under
 * {@code .git} (no git process: a flush must not depend on one being installed). Handles a
 * {@code .git} directory, a {@code .git} file pointing elsewhere (worktrees, submodules), loose
 * and packed refs, and a detached HEAD (a commit, no branch).
 *
 * @param branch null when HEAD is detached
 * @param commit null when the branch has no commit yet
 */
public record GitHead(String branch, String commit) {
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    /** The work tree containing {@code dir}, if any, and what it has checked out. */
    public static Optional<GitHead> of(Path dir) {
        try {
            Optional<Path> root = WorkTree.rootOf(dir);
            if (root.isEmpty()) {
                return Optional.empty();
            }
            Path dotGit = root.get().resolve(".git");
            if (Files.isDirectory(dotGit)) {
                return read(dotGit);
            }
            String link = Files.readString(dotGit, StandardCharsets.UTF_8).strip();
            if (!link.startsWith("gitdir:")) {
                return Optional.empty();
            }
            return read(root.get().resolve(link.substring("gitdir:".length()).strip()).normalize());
        } catch (IOException | RuntimeException unreadable) {
            // a trace without its git facts rather than no trace
        }
        return Optional.empty();
    }

    private static Optional<GitHead> read(Path gitDir) throws IOException {
        Path headFile = gitDir.resolve("HEAD");
        if (!Files.isRegularFile(headFile)) {
            return Optional.empty();
        }
        String head = Files.readString(headFile, StandardCharsets.UTF_8).strip();
        if (SHA.matcher(head).matches()) {
            return Optional.of(new GitHead(null, head));
        }
        if (!head.startsWith("ref:")) {
            return Optional.empty();
        }
        String ref = head.substring("ref:".length()).strip();
        String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : ref;
        Path common = gitDir;
        Path commondir = gitDir.resolve("commondir"); // a linked worktree keeps its refs in the main .git
        if (Files.isRegularFile(commondir)) {
            common = gitDir.resolve(Files.readString(commondir, StandardCharsets.UTF_8).strip()).normalize();
        }
        return Optional.of(new GitHead(branch, resolve(ref, gitDir, common)));
    }

    private static String resolve(String ref, Path gitDir, Path common) throws IOException {
        for (Path dir : new Path[] {gitDir, common}) {
            Path loose = dir.resolve(ref);
            if (Files.isRegularFile(loose)) {
                String sha = Files.readString(loose, StandardCharsets.UTF_8).strip();
                if (SHA.matcher(sha).matches()) {
                    return sha;
                }
            }
        }
        Path packed = common.resolve("packed-refs");
        if (Files.isRegularFile(packed)) {
            for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                int space = line.indexOf(' ');
                if (space > 0 && line.substring(space + 1).strip().equals(ref) && SHA.matcher(line.substring(0, space)).matches()) {
                    return line.substring(0, space);
                }
            }
        }
        return null;
    }
}
