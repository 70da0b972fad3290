package ai.infinium.connector.agent.claude;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TaskNotificationTest {
    static String block(String id, String status, String summary, String result) {
        return "<task-notification>\n<task-id>" + id + "</task-id>\n<status>" + status + "</status>\n<summary>" + summary
                + "</summary>\n" + (result == null ? "" : "<result>" + result + "</result>\n") + "</task-notification>";
    }

    @Test
    void oneFinishedTaskIsNamedByItsSummaryAndCarriesItsResult() {
        TaskNotification n = TaskNotification.parse(block("a1", "completed", "Agent \"probe\" finished", "42")).orElseThrow();
        assertThat(n.title()).isEqualTo("Background task finished: Agent \"probe\" finished");
        assertThat(n.result()).isEqualTo("42");
        assertThat(n.taskIds()).containsExactly("a1");
    }

    @Test
    void severalTasksAndAFailureAreAllNamed() {
        TaskNotification n = TaskNotification.parse(block("a1", "completed", "build", "ok") + "\n"
                + block("b2", "failed", "tests", null)).orElseThrow();
        assertThat(n.title()).isEqualTo("2 background tasks ended: build; failed: tests");
        assertThat(n.result()).isEqualTo("ok\n\ntests");
        assertThat(n.taskIds()).isEqualTo(List.of("a1", "b2"));
    }

    @Test
    void aPersonsPromptIsNotANotification() {
        assertThat(TaskNotification.parse("please explain <task-notification> tags")).isEmpty();
        assertThat(TaskNotification.parse("<task-notification> never closed")).isEmpty();
        assertThat(TaskNotification.parse(null)).isEmpty();
    }
}
