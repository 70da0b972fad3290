package ai.infinium.connector.agent.claude;

/**
 * The turn a transcript line puts in force when the transcript does not name it, or that the
 * line is ahead of what the hooks have reported (a prompt line before its UserPromptSubmit
 * reached the spool, a subagent's response from after such a line): the file is read again from
 * that line once they have.
 *
 * @param turnId null when the line is of no turn of the session
 */
record LineTurn(String turnId, boolean ahead) {
    static final LineTurn AHEAD = new LineTurn(null, true);

    static LineTurn of(String turnId) {
        return new LineTurn(turnId, false);
    }
}
