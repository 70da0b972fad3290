package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.EventTurns;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lines up a session transcript that names no turns (Claude Code before {@code promptId}, whose
 * hooks carry no {@code prompt_id} either) with the session's turns: its prompt lines, in order,
 * against the prompts the hooks reported, in order. A prompt line takes the first prompt not
 * taken yet that has its text, so a line the hooks never reported (a local command) or a prompt
 * that reached no transcript shifts nothing. Used by one read of the file, from its cursor on.
 */
final class PromptOrder {
    private static final Pattern COMMAND_NAME = Pattern.compile("<command-name>([^<]*)</command-name>");
    private static final Pattern COMMAND_ARGS = Pattern.compile("<command-args>(.*?)</command-args>", Pattern.DOTALL);
    private static final Pattern SPACE = Pattern.compile("\\s+");
    /** User lines that are output or markers, never something the user asked. */
    private static final List<String> NOT_ASKED = List.of("[Request interrupted by user", "<local-command-stdout>",
            "<local-command-stderr>", "<local-command-caveat>", "<bash-stdout>", "<bash-stderr>");

    private record Prompt(String turnId, String text) {}

    private final List<Prompt> prompts;
    private int next;

    private PromptOrder(List<Prompt> prompts, int next) {
        this.prompts = prompts;
        this.next = next;
    }

    /**
     * @param turnInForce the turn at the cursor the read starts from: the file's prompt lines after
     *     it are of later prompts
     */
    static PromptOrder of(List<AgentEvent> events, EventTurns turns, String turnInForce) {
        List<Prompt> prompts = new ArrayList<>();
        int next = 0;
        for (AgentEvent e : events) {
            String turn = e.kind() == EventKind.PROMPT ? turns.turnOf(e) : null;
            if (turn != null) {
                prompts.add(new Prompt(turn, normalized(e.input())));
                if (turn.equals(turnInForce)) {
                    next = prompts.size();
                }
            }
        }
        return new PromptOrder(prompts, next);
    }

    /**
     * Whether a user line is a prompt: not a tool result, not meta (a caveat, a slash command's
     * expansion), not a compaction summary, not a command's output or an interruption marker.
     */
    static boolean isPrompt(TranscriptLine l) {
        if (!"user".equals(l.type) || l.toolResult || l.notAPrompt || l.texts.isEmpty()) {
            return false;
        }
        String text = l.texts.get(0).stripLeading();
        for (String prefix : NOT_ASKED) {
            if (text.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The turn a prompt line opens. Without a prompt of that text: while a turn of this session is
     * in force, the next prompt not taken yet (the hooks worded it otherwise), tentatively, so a
     * later line with its text still takes it; when none is left, the line is ahead of the hooks
     * (or a command no hook reports, which the next prompt's arrival settles the same way). Before
     * any turn is in force, a line of no prompt of the session is an earlier run's (a resumed
     * transcript): it opens none.
     */
    LineTurn turnOpenedBy(TranscriptLine line, String turnInForce) {
        String text = normalized(String.join("\n", line.texts));
        for (int i = next; i < prompts.size(); i++) {
            if (prompts.get(i).text().equals(text)) {
                next = i + 1;
                return LineTurn.of(prompts.get(i).turnId());
            }
        }
        if (turnInForce == null) {
            return LineTurn.of(null);
        }
        return next < prompts.size() ? LineTurn.of(prompts.get(next).turnId()) : LineTurn.AHEAD;
    }

    /**
     * A prompt as both sides can compare it: white space folded, and a slash command as typed
     * ({@code /name args}) rather than as the transcript records it ({@code <command-name>} tags).
     */
    static String normalized(String text) {
        if (text == null) {
            return "";
        }
        String t = text;
        Matcher name = COMMAND_NAME.matcher(t);
        if (name.find()) {
            String command = name.group(1).strip();
            Matcher args = COMMAND_ARGS.matcher(t);
            t = (command.startsWith("/") ? command : "/" + command) + (args.find() ? " " + args.group(1) : "");
        }
        return SPACE.matcher(t.strip()).replaceAll(" ");
    }
}
