package ai.infinium.connector.e2e;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real Claude Code CLI running interactively in a terminal ({@link ClaudeCodeRun#interactive}),
 * driven by keystrokes and read from its screen as a person would use it.
 *
 * <p>What 2.1.330 shows when started in a fresh config directory (seen running it in tmux,
 * offline, against the loopback fake API):
 * <ol>
 *   <li>Without {@code hasCompletedOnboarding} in {@code $CLAUDE_CONFIG_DIR/.claude.json}, the
 *       onboarding's welcome screen checks that it can reach {@code api.anthropic.com} (whatever
 *       {@code ANTHROPIC_BASE_URL} says), prints "Unable to connect to Anthropic services ...
 *       ENOTFOUND" and exits 1. So that flag is pre-seeded; it is all that is.
 *   <li>The folder-trust dialog ("Accessing workspace: ... Is this a project you created or one you
 *       trust?"), with a warning that {@code .claude/settings.local.json} configures hooks, and
 *       {@code ❯ No, exit} selected: answered here with Down, Enter. It is drawn a second time
 *       about 0.1 s after it first shows (later on a busy machine), identical but with the
 *       selection back on "No, exit": a key pressed before that is lost, so keys are checked for
 *       their effect (see {@link #choose}).
 *   <li>"Detected a custom API key in your environment ... Do you want to use this API key?", with
 *       {@code ❯ No (recommended)} selected: answered with Up, Enter (the CLI then records the key
 *       as approved in {@code .claude.json}).
 *   <li>The main screen: a banner, a notice that auto mode is the default permission mode, and the
 *       prompt box, an input line {@code ❯ } between two horizontal rules, with the mode line
 *       ({@code ⏵⏵ auto mode on}) below. In auto mode a plain {@code echo} runs without a
 *       permission question or a classifier request.
 * </ol>
 * A turn shows the prompt as {@code ❯ <prompt>} above the box, each assistant text as {@code ● <text>},
 * each tool call folded ("Ran 1 shell command"), a spinner line saying which hook runs ("running
 * Stop hook"), and "esc to interrupt" in the mode line until the turn is over, hooks included; at
 * its end a line like {@code ✻ Crunched for 2s · done}. A slash command typed in the box opens a list of matching commands, whose first entry
 * Enter runs. {@code /exit} and a second Ctrl-C (the first shows "Press Ctrl-C again to exit")
 * print "Resume this session with: claude --resume <id>" and exit 0; {@code /clear} empties the
 * screen and starts a new session.
 */
public final class ClaudeCodeTerminal implements AutoCloseable {

    static final int COLUMNS = 160;
    static final int ROWS = 50;

    /** Start-up and dialogs take a few seconds on a slow machine; a minute means it hangs. */
    private static final Duration SCREEN_WAIT = Duration.ofSeconds(45);
    /** A scripted turn against the loopback fake takes seconds; its hooks may start a JVM. */
    private static final Duration TURN_WAIT = Duration.ofSeconds(90);
    /** How long a key may take to show its effect; one without effect by then was lost. */
    private static final Duration KEY_EFFECT = Duration.ofMillis(1500);
    /** How long a dialog's selection must stay put before Enter confirms it. */
    private static final Duration SELECTION_SETTLED = Duration.ofMillis(700);
    private static final String PROMPT_MARK = "❯";
    private static final String ASSISTANT_MARK = "●";

    private final TmuxTerminal terminal;

    ClaudeCodeTerminal(TmuxTerminal terminal) {
        this.terminal = terminal;
    }

    /**
     * Answers the first-run dialogs as a person would: trusts the folder (which is what lets the
     * project's hooks run) and approves the API key from the environment; returns once the prompt
     * box is ready.
     */
    public void acceptFirstRunDialogs() throws IOException, InterruptedException {
        choose("Yes, I trust this folder", "Yes, I trust this folder", "Down");
        choose("Do you want to use this API key?", "Yes", "Up");
        awaitPromptBox();
    }

    /**
     * Types {@code prompt} into the prompt box, submits it and waits until the answer ends with
     * the assistant text {@code lastReply} and the box is ready for the next prompt.
     */
    public void ask(String prompt, String lastReply) throws IOException, InterruptedException {
        submit(prompt);
        terminal.await("the answer to '" + prompt + "' ending with '" + lastReply + "'", TURN_WAIT,
                s -> lines(s).contains(ASSISTANT_MARK + " " + lastReply) && isIdle(s));
    }

    /** Runs {@code /clear} and waits for the new, empty conversation. */
    public void clear() throws IOException, InterruptedException {
        submit("/clear");
        terminal.await("the conversation cleared by /clear", SCREEN_WAIT,
                s -> isIdle(s) && lines(s).contains(PROMPT_MARK + " /clear")
                        && lines(s).stream().noneMatch(l -> l.startsWith(ASSISTANT_MARK + " ")));
    }

    /** Runs {@code /exit}; returns the CLI's exit status. */
    public int exit() throws IOException, InterruptedException {
        submit("/exit");
        return terminal.awaitExit("/exit", SCREEN_WAIT);
    }

    /** Presses Ctrl-C at the empty prompt box, waits for the CLI's warning, presses it again; returns the exit status. */
    public int pressCtrlCTwice() throws IOException, InterruptedException {
        awaitPromptBox();
        terminal.press("C-c");
        terminal.await("the warning after the first Ctrl-C", SCREEN_WAIT, s -> s.contains("Press Ctrl-C again to exit"));
        terminal.press("C-c");
        return terminal.awaitExit("the second Ctrl-C", SCREEN_WAIT);
    }

    /** What the terminal shows now. */
    public String screen() throws IOException, InterruptedException {
        return terminal.screen();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        terminal.close();
    }

    /** Types {@code text} into the empty prompt box, waits until the box shows it, presses Enter. */
    private void submit(String text) throws IOException, InterruptedException {
        awaitPromptBox();
        terminal.type(text);
        terminal.await("'" + text + "' typed into the prompt box", SCREEN_WAIT,
                s -> promptBox(s).equals(PROMPT_MARK + " " + text));
        terminal.press("Enter");
    }

    private void awaitPromptBox() throws IOException, InterruptedException {
        terminal.await("the empty prompt box", SCREEN_WAIT, ClaudeCodeTerminal::isIdle);
    }

    /**
     * Selects {@code option} in the dialog that shows {@code dialog}, moving the selection with
     * {@code key}, and confirms it with Enter. A dialog may be drawn once more a moment after it
     * first shows (the trust dialog is), looking the same but with its selection back on the
     * first option; a key pressed before that is lost. So every key is checked for its effect and pressed again when
     * it had none, and Enter is pressed only once the option has stayed selected for a while (an
     * Enter on the first option of the trust dialog would exit).
     */
    private void choose(String dialog, String option, String key) throws IOException, InterruptedException {
        String selected = PROMPT_MARK + " " + option;
        long deadline = System.nanoTime() + SCREEN_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String screen = terminal.await("the dialog '" + dialog + "'", SCREEN_WAIT, s -> s.contains(dialog));
            if (!lines(screen).contains(selected)) {
                terminal.press(key);
                terminal.poll("'" + option + "' selected", KEY_EFFECT, s -> lines(s).contains(selected));
            } else if (terminal.holds(SELECTION_SETTLED, s -> lines(s).contains(selected))) {
                terminal.press("Enter");
                if (terminal.poll("the dialog '" + dialog + "' closed", KEY_EFFECT, s -> !s.contains(dialog)).isPresent()) {
                    return;
                }
            }
        }
        throw new AssertionError("could not choose '" + option + "' in the dialog '" + dialog + "' within " + SCREEN_WAIT
                + "\n--- screen ---\n" + terminal.screen());
    }

    /**
     * Whether the CLI waits for a prompt: the box is empty and no turn runs. While one does (its
     * hooks included: Stop hooks run after the last answer is on the screen), the mode line below
     * the box says "esc to interrupt"; a prompt typed then would be queued into the running turn.
     */
    private static boolean isIdle(String screen) {
        return promptBox(screen).equals(PROMPT_MARK) && !screen.contains("esc to interrupt");
    }

    /**
     * The text of the prompt box: the lines between the last two horizontal rules of the screen
     * (the box's borders), or "" when there is no box (a dialog, the start-up).
     */
    static String promptBox(String screen) {
        List<String> lines = lines(screen);
        List<Integer> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.length() >= 20 && l.chars().allMatch(c -> c == '─')) {
                rules.add(i);
            }
        }
        if (rules.size() < 2) {
            return "";
        }
        return String.join("\n", lines.subList(rules.get(rules.size() - 2) + 1, rules.get(rules.size() - 1))).strip();
    }

    /**
     * The screen's lines, stripped, with each no-break space as a space: the CLI puts one after the
     * prompt mark ({@code ❯}).
     */
    private static List<String> lines(String screen) {
        return screen.replace('\u00a0', ' ').lines().map(String::strip).toList();
    }
}
