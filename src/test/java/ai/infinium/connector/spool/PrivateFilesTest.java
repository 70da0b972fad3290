package ai.infinium.connector.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir Path tmp;

    /** The server appends from several threads of one JVM, where a second file lock throws instead of waiting. */
    @Test
    void threadsOfOneProcessAppendingToOneFileTakeTurns() throws Exception {
        Path file = tmp.resolve("spool.jsonl");
        int threads = 8;
        int lines = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < lines; i++) {
                        // 128 KB lines: far past any size the OS writes in one piece
                        String line = id + "-" + i + " " + "x".repeat(128 * 1024) + "\n";
                        PrivateFiles.append(file, line.getBytes(StandardCharsets.US_ASCII));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> written = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertThat(written).hasSize(threads * lines);
        assertThat(written).allMatch(l -> l.matches("\\d+-\\d+ x{131072}"), "whole lines");
        assertThat(new HashSet<>(written.stream().map(l -> l.substring(0, l.indexOf(' '))).toList()))
                .hasSize(threads * lines);
    }
}
