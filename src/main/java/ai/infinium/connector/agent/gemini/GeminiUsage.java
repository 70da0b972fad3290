package ai.infinium.connector.agent.gemini;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.EventTurns;
import ai.infinium.connector.agent.UsageRead;
import ai.infinium.connector.agent.UsageSource;
import ai.infinium.connector.io.FileCursor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Gemini token usage: one call per model message of the chats file (each response once, however
 * often Gemini rewrites the message), rather than AfterModel, which fires per streamed chunk. The
 * chats file names no turns: a message belongs to the last prompt Gemini stamped before it.
 * Completion tokens are the billed output, candidates plus thoughts, so a call's prompt plus
 * completion is the API's totalTokenCount. The model router's side request is in no file a hook
 * names, so it is not counted.
 */
final class GeminiUsage implements UsageSource {
    static final String CACHED = "cached_input_tokens";
    static final String THOUGHTS = "reasoning_output_tokens";

    @Override
    public String provider() {
        return "google";
    }

    @Override
    public UsageRead read(List<AgentEvent> events, EventTurns turns, Map<String, FileCursor> from, AgentEvent turnEnd,
            Duration max) {
        Set<Path> files = new LinkedHashSet<>();
        List<AgentEvent> prompts = new ArrayList<>();
        long answerAfter = 0;
        for (AgentEvent e : events) {
            String p = e.tags().get("transcript_path");
            if (p != null && !p.isBlank()) {
                files.add(Path.of(p));
            }
            if (e.kind() == EventKind.PROMPT) {
                prompts.add(e);
            }
            // The answer follows the turn's last tool call (an earlier model message may lack its tool calls yet).
            if (turnEnd != null && e.millis() <= turnEnd.millis()
                    && (e.kind() == EventKind.PROMPT || e.kind() == EventKind.TOOL_END)) {
                answerAfter = e.millis();
            }
        }
        List<ApiCall> calls = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            GeminiChats chats = turnEnd != null && file.toString().equals(turnEnd.tags().get("transcript_path"))
                    ? GeminiChats.awaitAnswer(file, answerAfter, turnEnd.millis(), max) : GeminiChats.read(file);
            for (GeminiChats.Message m : chats.messages()) {
                if (!m.fromModel() || !m.hasTokens()) {
                    continue;
                }
                AgentEvent prompt = promptBefore(prompts, m.millis());
                if (prompt == null) {
                    problems.add("a model response in " + file + " (message " + m.id()
                            + ") precedes every prompt of the session; its tokens are not counted");
                    continue;
                }
                calls.add(new ApiCall("gemini:" + m.id(), turns.turnOf(prompt), m.model(), m.input() + m.tool(),
                        m.output() + m.thoughts(), Map.of(CACHED, m.cached(), THOUGHTS, m.thoughts()), false)
                        .at(m.millis() > 0 ? java.time.Instant.ofEpochMilli(m.millis()).toString() : null, null));
            }
        }
        return new UsageRead() {
            @Override
            public List<ApiCall> calls() {
                return calls;
            }

            @Override
            public Map<String, FileCursor> resume(Predicate<String> counted, Predicate<String> knownTurn) {
                return Map.of(); // chats files are read whole each time
            }

            @Override
            public List<String> problems() {
                return problems;
            }
        };
    }

    private static AgentEvent promptBefore(List<AgentEvent> prompts, long millis) {
        AgentEvent found = null;
        for (AgentEvent p : prompts) {
            if (p.millis() <= millis) {
                found = p;
            }
        }
        return found;
    }
}
