package ai.infinium.connector.export.otlp;

import ai.infinium.connector.trace.Environment;
import ai.infinium.connector.trace.ErrorDetail;
import ai.infinium.connector.trace.LlmUsage;
import ai.infinium.connector.trace.ModelCall;
import ai.infinium.connector.trace.Step;
import ai.infinium.connector.trace.Trace;
import java.time.Instant;
import java.util.List;

/**
 * One hand-built trace with everything the mapping distinguishes: a subagent with its own tool
 * and model calls, a failing tool, an unfinished MCP tool, a failed turn, a model call without a
 * time. Texts that must never leak without content are marked in capitals.
 */
final class OtlpFixtures {
    private OtlpFixtures() {}

    static final String KEY = "trace-key-1";
    static final String PROMPT = "PROMPT-TEXT please fix the login bug";
    static final String ANSWER = "ANSWER-TEXT fixed in auth.py";
    static final List<String> SECRET_TEXTS = List.of(PROMPT, ANSWER, "PROMPT-TEXT", "ANSWER-TEXT", "TOOL-INPUT-1",
            "TOOL-OUTPUT-1", "TOOL-INPUT-2", "TOOL-OUTPUT-2", "TOOL-INPUT-3", "TOOL-OUTPUT-3", "TOOL-ERROR-TEXT",
            "TOOL-INPUT-4", "SUBAGENT-OUTPUT");

    static final String MAIN_MODEL = "claude-sonnet-4-5";
    static final String SUB_MODEL = "claude-haiku-4-5";

    static Trace trace() {
        List<Step> steps = List.of(
                new Step(1, "user_prompt", "User prompt", PROMPT, null, null, "2026-03-01T10:00:00Z", null, null, ""),
                new Step(2, "tool_use", "Tool: Read", "TOOL-INPUT-1", "TOOL-OUTPUT-1", 500L, "2026-03-01T10:00:02Z",
                        null, null, "").named("Read", "toolu_1"),
                new Step(3, "subagent", "Subagent: Explore", null, "SUBAGENT-OUTPUT", 10_000L, "2026-03-01T10:00:05Z",
                        null, "agent-a", "").named("Explore", null),
                new Step(4, "tool_use", "Tool: Grep (in subagent)", "TOOL-INPUT-2", "TOOL-OUTPUT-2", 500L,
                        "2026-03-01T10:00:06Z", null, "agent-a", "").named("Grep", "toolu_2"),
                new Step(5, "tool_use", "Tool: Bash", "TOOL-INPUT-3", "TOOL-OUTPUT-3", 2000L, "2026-03-01T10:00:20Z",
                        new ErrorDetail("ToolError", "exit 1: TOOL-ERROR-TEXT", true, null), null, "")
                        .named("Bash", "toolu_3"),
                new Step(6, "tool_use", "Tool: mcp__github__search", "TOOL-INPUT-4", null, null,
                        "2026-03-01T10:00:24Z", null, null, "unfinished").named("mcp__github__search", "toolu_4"),
                new Step(7, "turn_failed", "Turn failed: overloaded", null, null, null, "2026-03-01T10:00:28Z",
                        new ErrorDetail("overloaded_error", "Overloaded", false, null), null, ""),
                new Step(8, "assistant_response", "Answer", null, ANSWER, null, "2026-03-01T10:00:29Z", null, null, ""));
        List<ModelCall> calls = List.of(
                new ModelCall(MAIN_MODEL, "anthropic", 1000, 50, 800, 100, 0, "2026-03-01T10:00:01.500Z", false, null),
                new ModelCall(SUB_MODEL, "anthropic", 500, 20, 0, 0, 0, "2026-03-01T10:00:07Z", true, "agent-a"),
                new ModelCall(SUB_MODEL, "anthropic", 300, 10, 200, 0, 0, "2026-03-01T10:00:09Z", true, null),
                new ModelCall(MAIN_MODEL, "anthropic", 10, 5, 0, 0, 0, null, false, null),
                new ModelCall(MAIN_MODEL, "anthropic", 2000, 100, 1500, 0, 30, "2026-03-01T10:00:23Z", false, null));
        LlmUsage usage = new LlmUsage(MAIN_MODEL, "anthropic", 3810, 185, 3995, 5);
        Environment env = new Environment("claude-code", MAIN_MODEL, "sess-42", "/home/u/proj", "default", "startup",
                null);
        return new Trace("Claude Code session", "PROMPT-TEXT please fix", "2026-03-01T10:00:30Z", 30.0, PROMPT, ANSWER,
                steps, List.of(), env, usage, KEY, "claude-code", "Claude Code", calls);
    }

    static long nanos(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    static OtlpSpan named(List<OtlpSpan> spans, String name) {
        return spans.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name));
    }

    static List<OtlpSpan> byOperation(List<OtlpSpan> spans, String operation) {
        return spans.stream().filter(s -> operation.equals(s.attribute("gen_ai.operation.name"))).toList();
    }
}
