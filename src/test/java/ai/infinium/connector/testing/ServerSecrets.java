package ai.infinium.connector.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.config.ServerFiles;
import ai.infinium.connector.config.ServerToken;
import ai.infinium.connector.config.UserDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Where the server token may be: only in files no other local user can read. */
public final class ServerSecrets {
    private ServerSecrets() {}

    /** @return the files that hold the token (all of them owner-only) */
    public static List<Path> assertTokenOnlyInOwnerOnlyFiles(Path root, UserDirs dirs) throws Exception {
        String token = ServerToken.readIfPrivate(new ServerFiles(dirs, Map.of()));
        assertThat(token).as("a server token exists").isNotNull();
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> holding = new java.util.ArrayList<>();
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (Files.size(f) > 50_000_000) {
                    continue;
                }
                if (new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(token)) {
                    holding.add(f);
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                            .as("%s holds the server token", f).isEqualTo("rw-------");
                }
            }
            return holding;
        }
    }
}
