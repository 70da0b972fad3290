package ai.infinium.connector.agent.claude;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The prompt Claude Code submits by itself when background tasks (async subagents, background
 * shells) finish: one {@code <task-notification>} element per task, with its id, summary, status
 * and result. It is not a person's words and is shown for what it is.
 *
 * @param title "Background task finished: …" (the status when a task did not simply complete)
 * @param result the tasks' result texts, or their summaries when they carry none
 * @param taskIds the tasks (a background subagent's task id is its agent id)
 */
record TaskNotification(String title, String result, List<String> taskIds) {
    private static final Pattern BLOCK = Pattern.compile("<task-notification>(.*?)</task-notification>", Pattern.DOTALL);

    static Optional<TaskNotification> parse(String prompt) {
        if (prompt == null || !prompt.stripLeading().startsWith("<task-notification>")) {
            return Optional.empty();
        }
        List<String> titles = new ArrayList<>();
        List<String> results = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        boolean allDone = true;
        Matcher m = BLOCK.matcher(prompt);
        while (m.find()) {
            String block = m.group(1);
            String id = element(block, "task-id");
            String summary = element(block, "summary");
            String status = element(block, "status");
            String result = element(block, "result");
            summary = summary != null ? summary : id != null ? "task " + id : "a background task";
            boolean done = status == null || status.equals("completed");
            allDone &= done;
            titles.add((done ? "" : status + ": ") + summary);
            results.add(result != null ? result : summary);
            if (id != null) {
                ids.add(id);
            }
        }
        if (titles.isEmpty()) {
            return Optional.empty(); // not closed: a person's text that happens to start so
        }
        String title = (titles.size() == 1 ? "Background task " : titles.size() + " background tasks ")
                + (allDone ? "finished" : "ended") + ": " + String.join("; ", titles);
        return Optional.of(new TaskNotification(title, String.join("\n\n", results), ids));
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">(.*?)</" + name + ">", Pattern.DOTALL).matcher(xml);
        return m.find() ? m.group(1).strip() : null;
    }
}
