package ai.infinium.connector.diag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorWordsTest {
    @TempDir Path tmp;

    @Test
    void fileErrorsSayWhatAndWhere() throws Exception {
        // Tests may run as root, whom permissions do not stop: this one is built as Java builds it.
        assertThat(ErrorWords.of(new AccessDeniedException("/etc/x"))).isEqualTo("permission denied: /etc/x");
        assertThat(ErrorWords.of(new FileSystemException("/full/f", null, "No space left on device")))
                .isEqualTo("no space left on device: /full/f");
        IOException missing = catchThrowableOfType(() -> Files.readString(tmp.resolve("missing.json")), IOException.class);
        assertThat(ErrorWords.of(missing)).isEqualTo("no such file or folder: " + tmp.resolve("missing.json"));
        Files.createDirectories(tmp.resolve("a-folder"));
        IOException folder = catchThrowableOfType(() -> Files.readString(tmp.resolve("a-folder")), IOException.class);
        assertThat(ErrorWords.of(folder)).as("the JDK names no path here: callers say which file").isEqualTo("Is a directory");
    }

    @Test
    void aFailureWithoutAMessageIsStillWords() {
        assertThat(ErrorWords.of(new IllegalStateException())).isEqualTo("an internal error (illegal state); see the log");
        assertThat(ErrorWords.of(new IOException())).isEqualTo("an input/output error without details");
    }
}
