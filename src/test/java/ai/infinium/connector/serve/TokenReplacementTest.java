package ai.infinium.connector.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.config.ServerToken;
import ai.infinium.connector.testing.TestEnv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `init` replaces a token file that others could read, and writes the new token into the hooks.
 * The running server must follow the file: the new token works at once, the old one stops working.
 */
class TokenReplacementTest {
    static final byte[] EVENT = "{\"session_id\":\"s1\",\"cwd\":\"/tmp\",\"hook_event_name\":\"PreToolUse\"}"
            .getBytes(StandardCharsets.UTF_8);
    @TempDir Path tmp;

    @Test
    void aReplacedTokenFileIsFollowedAndTheOldTokenRefused() throws Exception {
        TestEnv env = new TestEnv(tmp);
        TestServer server = TestServer.start(env, Duration.ofMinutes(5));
        try {
            String old = server.token();
            assertThat(server.postEvent("claude-code", EVENT).status()).isEqualTo(200);

            Files.delete(server.files.token());
            String fresh = ServerToken.loadOrCreate(server.files);
            assertThat(fresh).isNotEqualTo(old);
            assertThat(server.postEvent("claude-code", EVENT).status()).as("the new token").isEqualTo(200);
            RawHttp.Response withOld = RawHttp.post("/hook/claude-code").header("Host", "127.0.0.1:" + server.port())
                    .header("Authorization", "Bearer " + old).body(EVENT).send(server.port());
            assertThat(withOld.status()).as("the replaced token").isEqualTo(401);
            assertThat(Files.readAllLines(env.dirs().sessions().resolve("claude-code").resolve("s1.jsonl"))).hasSize(2);
        } finally {
            server.stop();
        }
    }
}
