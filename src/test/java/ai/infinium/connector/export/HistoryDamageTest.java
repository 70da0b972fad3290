package ai.infinium.connector.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.TestEnv;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A damaged history line (invalid UTF-8, a cut-short write) costs that line: history and status still work. */
class HistoryDamageTest {
    @TempDir Path tmp;

    @Test
    void aDamagedLineLosesOnlyItself() throws Exception {
        TestEnv env = new TestEnv(tmp);
        History h = env.context().history();
        h.append(new HistoryEntry("2026-12-01T10:00:00Z", "first", "tr_1", 3, 1.5, "k1", "claude-code", "a", "s", null, null));
        Files.write(h.file(), new byte[] {'{', '"', 'n', (byte) 0xC3, (byte) 0x28, '"', '\n'}, StandardOpenOption.APPEND);
        Files.write(h.file(), "{\"delivered_at\":\"2026-12-01T10:0".getBytes(), StandardOpenOption.APPEND);
        Files.write(h.file(), "\n".getBytes(), StandardOpenOption.APPEND);
        h.append(new HistoryEntry("2026-12-01T10:05:00Z", "second", "tr_2", 1, 0.5, "k2", "claude-code", "a", "s", null, null));

        History.Contents c = h.read();
        assertThat(c.entries()).extracting(HistoryEntry::name).containsExactly("first", "second");
        assertThat(c.damagedLines()).isEqualTo(2);

        TestEnv.Result history = env.run(tmp, "history");
        assertThat(history.code()).isZero();
        assertThat(history.out()).contains("first").contains("second");
        assertThat(history.err()).contains("2 damaged line(s) in " + h.file() + " were skipped");
        TestEnv.Result status = env.run(tmp, "status");
        assertThat(status.out()).contains("Last sent:    2026-12-01T10:05:00Z  second");
    }
}
