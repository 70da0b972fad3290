package ai.infinium.connector.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Line numbers are event identities kept in session state by earlier versions, which read with
 * {@link BufferedReader#readLine}: the byte reader must split exactly as it does, also when it
 * resumes from any position it returned.
 */
class JsonLinesTest {
    @TempDir Path tmp;

    record Line(int n, String text, long start) {}

    static List<Line> scanAll(Path f, long from, int lineNo) throws IOException {
        List<Line> out = new ArrayList<>();
        JsonLines.scan(f, from, lineNo, (buf, off, len, start, n, done) -> {
            out.add(new Line(n, new String(buf, off, len, StandardCharsets.UTF_8), start));
            return true;
        });
        return out;
    }

    static List<String> readLines(String content) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new StringReader(content))) {
            for (String l; (l = r.readLine()) != null; ) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void splitsAndNumbersLinesAsReadLineDoesAndResumesFromEveryPosition() throws IOException {
        Random rnd = new Random(11);
        String[] pieces = {"{\"a\":1}", "", "x", "\n", "\r", "\r\n", "é", "{\"b\":\"" + "y".repeat(70_000) + "\"}"};
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = rnd.nextInt(12); i >= 0; i--) {
                sb.append(pieces[rnd.nextInt(pieces.length)]);
            }
            String content = sb.toString();
            Path f = tmp.resolve("f" + round);
            Files.writeString(f, content);
            List<Line> lines = scanAll(f, 0, 0);
            assertThat(lines).extracting(Line::text).as("%s", content.replace("\r", "\\r").replace("\n", "\\n"))
                    .containsExactlyElementsOf(readLines(content));
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i).n()).isEqualTo(i + 1);
            }
            // Resume from where each line starts: the rest is read with the same numbers.
            for (Line l : lines) {
                assertThat(scanAll(f, l.start(), l.n() - 1)).containsExactlyElementsOf(
                        lines.subList(l.n() - 1, lines.size()));
            }
        }
    }

    @Test
    void theResumePositionStopsBeforeALineStillBeingWritten() throws IOException {
        Path f = tmp.resolve("spool");
        Files.writeString(f, "{\"a\":1}\n{\"b\":");
        JsonLines.Position p = JsonLines.scan(f, 0, 0, (buf, off, len, start, n, done) -> true);
        assertThat(p).isEqualTo(new JsonLines.Position(8, 1));
        Files.writeString(f, "{\"a\":1}\n{\"b\":2}\r");
        assertThat(JsonLines.scan(f, 0, 0, (buf, off, len, start, n, done) -> true))
                .as("a lone \\r at the end may yet become \\r\\n").isEqualTo(new JsonLines.Position(8, 1));
        Files.writeString(f, "{\"a\":1}\n{\"b\":2}\r\n");
        assertThat(JsonLines.scan(f, 0, 0, (buf, off, len, start, n, done) -> true))
                .isEqualTo(new JsonLines.Position(17, 2));
    }
}
