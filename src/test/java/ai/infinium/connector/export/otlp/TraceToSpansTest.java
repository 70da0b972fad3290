package ai.infinium.connector.export.otlp;

import static ai.infinium.connector.export.otlp.OtlpFixtures.nanos;
import static ai.infinium.connector.export.otlp.OtlpFixtures.named;
import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.trace.ModelCall;
import ai.infinium.connector.trace.Step;
import ai.infinium.connector.trace.Trace;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TraceToSpansTest {
    private final Trace trace = OtlpFixtures.trace();
    private final List<OtlpSpan> spans = TraceToSpans.map(trace, false);

    private OtlpSpan root() {
        return named(spans, "invoke_agent Claude Code");
    }

    @Test
    void treeShape() {
        assertThat(spans).extracting(OtlpSpan::name).containsExactly(
                "invoke_agent Claude Code", "invoke_agent Explore", "execute_tool Read", "execute_tool Grep",
                "execute_tool Bash", "execute_tool mcp__github__search", "chat claude-sonnet-4-5",
                "chat claude-haiku-4-5", "chat claude-haiku-4-5", "chat claude-sonnet-4-5", "chat claude-sonnet-4-5");
        OtlpSpan root = root();
        OtlpSpan sub = named(spans, "invoke_agent Explore");
        assertThat(root.parentSpanId()).isNull();
        Map<String, Long> underRoot = spans.stream().filter(s -> s.parentSpanId() != null
                && Arrays.equals(s.parentSpanId(), root.spanId())).collect(Collectors.groupingBy(OtlpSpan::name,
                Collectors.counting()));
        assertThat(underRoot).containsOnly(Map.entry("invoke_agent Explore", 1L), Map.entry("execute_tool Read", 1L),
                Map.entry("execute_tool Bash", 1L), Map.entry("execute_tool mcp__github__search", 1L),
                Map.entry("chat claude-sonnet-4-5", 3L));
        List<String> underSub = spans.stream().filter(s -> s.parentSpanId() != null
                && Arrays.equals(s.parentSpanId(), sub.spanId())).map(OtlpSpan::name).toList();
        // The call without a subagent id goes to the only subagent there is.
        assertThat(underSub).containsExactly("execute_tool Grep", "chat claude-haiku-4-5", "chat claude-haiku-4-5");
        assertThat(spans).allSatisfy(s -> assertThat(s.traceId()).isEqualTo(root.traceId()));
        assertThat(spans.stream().map(s -> SpanIds.hex(s.spanId())).distinct()).hasSize(spans.size());
    }

    /** A trace without per-response counts (an agent whose files give only a total) puts its usage on the root. */
    @Test
    void aTraceWithoutModelCallsCarriesItsUsageOnTheRoot() {
        Trace t = OtlpFixtures.trace();
        Trace totalsOnly = new Trace(t.name(), t.description(), t.currentDatetime(), t.duration(), t.inputSummary(),
                t.outputSummary(), t.steps(), t.errors(), t.environment(), t.llmUsage(), t.key(), t.agent(), t.agentName(), List.of());
        List<OtlpSpan> spans = TraceToSpans.map(totalsOnly, false);
        OtlpSpan root = spans.stream().filter(x -> x.parentSpanId() == null).findFirst().orElseThrow();
        assertThat(root.attribute("gen_ai.usage.input_tokens")).isEqualTo(t.llmUsage().promptTokens());
        assertThat(root.attribute("gen_ai.usage.output_tokens")).isEqualTo(t.llmUsage().completionTokens());
        assertThat(OtlpFixtures.byOperation(spans, "chat")).isEmpty();
    }

    /** No token sums on the root: its chat spans carry them, and a backend summing spans counts each once. */
    @Test
    void rootAttributes() {
        OtlpSpan root = root();
        assertThat(root.kind()).isEqualTo(OtlpSpan.INTERNAL);
        assertThat(attrs(root)).containsExactly(
                Map.entry("gen_ai.operation.name", "invoke_agent"),
                Map.entry("gen_ai.agent.name", "Claude Code"),
                Map.entry("gen_ai.conversation.id", "sess-42"),
                Map.entry("gen_ai.provider.name", "anthropic"),
                Map.entry("gen_ai.request.model", "claude-sonnet-4-5"),
                Map.entry("gen_ai.response.model", "claude-sonnet-4-5"),
                Map.entry("infinium.trace_key", OtlpFixtures.KEY),
                Map.entry("infinium.agent", "claude-code"),
                Map.entry("infinium.steps", 8L),
                Map.entry("error.type", "overloaded_error"));
        assertThat(root.status()).isEqualTo(new OtlpSpan.Status(OtlpSpan.Status.ERROR, "Overloaded"));
        assertThat(root.events()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("exception");
            assertThat(e.timeNanos()).isEqualTo(nanos("2026-03-01T10:00:28Z"));
            assertThat(e.attributes()).containsExactly(new OtlpAttribute("exception.type", "overloaded_error"),
                    new OtlpAttribute("exception.message", "Overloaded"));
        });
    }

    @Test
    void chatTokensSumToTheTraceUsage() {
        List<OtlpSpan> chats = OtlpFixtures.byOperation(spans, "chat");
        assertThat(chats).hasSize(5).allSatisfy(c -> assertThat(c.kind()).isEqualTo(OtlpSpan.CLIENT));
        assertThat(chats.stream().mapToLong(c -> (Long) c.attribute("gen_ai.usage.input_tokens")).sum())
                .isEqualTo(trace.llmUsage().promptTokens());
        assertThat(chats.stream().mapToLong(c -> (Long) c.attribute("gen_ai.usage.output_tokens")).sum())
                .isEqualTo(trace.llmUsage().completionTokens());
        assertThat(attrs(chats.get(0))).containsExactly(
                Map.entry("gen_ai.operation.name", "chat"),
                Map.entry("gen_ai.provider.name", "anthropic"),
                Map.entry("gen_ai.request.model", "claude-sonnet-4-5"),
                Map.entry("gen_ai.response.model", "claude-sonnet-4-5"),
                Map.entry("gen_ai.usage.input_tokens", 1000L),
                Map.entry("gen_ai.usage.output_tokens", 50L),
                Map.entry("gen_ai.usage.cache_read.input_tokens", 800L),
                Map.entry("gen_ai.usage.cache_creation.input_tokens", 100L));
        // Zero counts are left out; an unknown time is said so.
        assertThat(attrs(chats.get(3))).doesNotContainKey("gen_ai.usage.cache_read.input_tokens")
                .containsEntry("infinium.timing", "unknown");
        assertThat(chats.get(4).attribute("gen_ai.usage.reasoning.output_tokens")).isEqualTo(30L);
    }

    @Test
    void timing() {
        assertWindow(root(), "10:00:00", "10:00:30");
        assertWindow(named(spans, "invoke_agent Explore"), "10:00:05", "10:00:15");
        assertWindow(named(spans, "execute_tool Read"), "10:00:02", "10:00:02.500");
        assertWindow(named(spans, "execute_tool Grep"), "10:00:06", "10:00:06.500");
        assertWindow(named(spans, "execute_tool Bash"), "10:00:20", "10:00:22");
        // Unfinished: still running when the trace ended.
        assertWindow(named(spans, "execute_tool mcp__github__search"), "10:00:24", "10:00:30");
        List<OtlpSpan> chats = OtlpFixtures.byOperation(spans, "chat");
        assertWindow(chats.get(0), "10:00:00", "10:00:01.500"); // nothing before it: from the root's start
        assertWindow(chats.get(1), "10:00:06.500", "10:00:07"); // after the subagent's Grep
        assertWindow(chats.get(2), "10:00:07", "10:00:09"); // after the subagent's previous call
        assertWindow(chats.get(3), "10:00:01.500", "10:00:01.500"); // no time: zero-length after the previous call
        assertWindow(chats.get(4), "10:00:22", "10:00:23"); // after the Bash that ended before it
    }

    @Test
    void timesOutsideTheWindowAreClampedAndParentsCoverChildren() {
        List<ModelCall> calls = List.of(
                new ModelCall("m", "openai", 1, 1, 0, 0, 0, "2026-03-01T09:00:00Z", false, null),
                new ModelCall("m", "openai", 1, 1, 0, 0, 0, "2026-03-01T11:00:00Z", true, "agent-a"));
        Trace t = new Trace(trace.name(), null, trace.currentDatetime(), trace.duration(), null, null,
                trace.steps(), List.of(), trace.environment(), trace.llmUsage(), trace.key(), "codex", "Codex", calls);
        List<OtlpSpan> s = TraceToSpans.map(t, false);
        assertWindow(named(s, "invoke_agent Codex"), "10:00:00", "10:00:30");
        List<OtlpSpan> chats = OtlpFixtures.byOperation(s, "chat");
        assertWindow(chats.get(0), "10:00:00", "10:00:00");
        assertWindow(chats.get(1), "10:00:06.500", "10:00:30");
        assertWindow(named(s, "invoke_agent Explore"), "10:00:05", "10:00:30");
        assertThat(chats.get(0).attribute("gen_ai.provider.name")).isEqualTo("openai");
    }

    @Test
    void failedToolIsAnErrorWithoutItsText() {
        OtlpSpan bash = named(spans, "execute_tool Bash");
        assertThat(bash.status()).isEqualTo(new OtlpSpan.Status(OtlpSpan.Status.ERROR, "ToolError"));
        assertThat(bash.attribute("error.type")).isEqualTo("ToolError");
        assertThat(bash.events()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("exception");
            assertThat(e.timeNanos()).isEqualTo(nanos("2026-03-01T10:00:22Z"));
            assertThat(e.attributes()).containsExactly(new OtlpAttribute("exception.type", "ToolError"));
        });
        OtlpSpan withContent = named(TraceToSpans.map(trace, true), "execute_tool Bash");
        assertThat(withContent.status().message()).isEqualTo("exit 1: TOOL-ERROR-TEXT");
        assertThat(withContent.events().get(0).attributes())
                .contains(new OtlpAttribute("exception.message", "exit 1: TOOL-ERROR-TEXT"));
    }

    @Test
    void toolAttributes() {
        assertThat(attrs(named(spans, "execute_tool Read"))).containsExactly(
                Map.entry("gen_ai.operation.name", "execute_tool"),
                Map.entry("gen_ai.tool.name", "Read"),
                Map.entry("gen_ai.tool.call.id", "toolu_1"),
                Map.entry("gen_ai.tool.type", "function"),
                Map.entry("infinium.step.number", 2L));
        OtlpSpan mcp = named(spans, "execute_tool mcp__github__search");
        assertThat(mcp.attribute("gen_ai.tool.type")).isEqualTo("extension");
        assertThat(mcp.attribute("infinium.step.status")).isEqualTo("unfinished");
        assertThat(mcp.status().code()).isEqualTo(OtlpSpan.Status.UNSET);
        assertThat(attrs(named(spans, "invoke_agent Explore"))).containsExactly(
                Map.entry("gen_ai.operation.name", "invoke_agent"),
                Map.entry("gen_ai.agent.name", "Explore"),
                Map.entry("gen_ai.agent.id", "agent-a"),
                Map.entry("infinium.step.number", 3L));
    }

    @Test
    void noContentUnlessAsked() {
        for (OtlpSpan s : spans) {
            for (String text : OtlpFixtures.SECRET_TEXTS) {
                assertThat(s.name()).doesNotContain(text);
                for (OtlpAttribute a : s.attributes()) {
                    assertThat(String.valueOf(a.value())).as(s.name() + " " + a.key()).doesNotContain(text);
                }
                for (OtlpSpan.Event e : s.events()) {
                    e.attributes().forEach(a -> assertThat(String.valueOf(a.value())).doesNotContain(text));
                }
                assertThat(String.valueOf(s.status().message())).doesNotContain(text);
            }
        }
        String bytes = new String(OtlpProtobuf.encode(spans, new OtlpResource("1.0", "h", "claude-code")),
                StandardCharsets.ISO_8859_1);
        OtlpFixtures.SECRET_TEXTS.forEach(text -> assertThat(bytes).doesNotContain(text));
    }

    @Test
    void contentWhenAsked() {
        List<OtlpSpan> withContent = TraceToSpans.map(trace, true);
        OtlpSpan root = named(withContent, "invoke_agent Claude Code");
        assertThat(root.attribute("gen_ai.input.messages")).isEqualTo(
                "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"" + OtlpFixtures.PROMPT + "\"}]}]");
        assertThat(root.attribute("gen_ai.output.messages")).isEqualTo("[{\"role\":\"assistant\",\"parts\":[{\"type\":"
                + "\"text\",\"content\":\"" + OtlpFixtures.ANSWER + "\"}],\"finish_reason\":\"stop\"}]");
        OtlpSpan read = named(withContent, "execute_tool Read");
        assertThat(read.attribute("gen_ai.tool.call.arguments")).isEqualTo("TOOL-INPUT-1");
        assertThat(read.attribute("gen_ai.tool.call.result")).isEqualTo("TOOL-OUTPUT-1");
        assertThat(withContent).extracting(OtlpSpan::name).isEqualTo(spans.stream().map(OtlpSpan::name).toList());
    }

    @Test
    void idsComeFromTheKeyAndRepeat() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] traceId = Arrays.copyOf(sha.digest(("trace\0" + OtlpFixtures.KEY).getBytes(StandardCharsets.UTF_8)), 16);
        byte[] rootId = Arrays.copyOf(sha.digest((OtlpFixtures.KEY + "\0root").getBytes(StandardCharsets.UTF_8)), 8);
        byte[] chat0 = Arrays.copyOf(sha.digest((OtlpFixtures.KEY + "\0chat:0").getBytes(StandardCharsets.UTF_8)), 8);
        byte[] step5 = Arrays.copyOf(sha.digest((OtlpFixtures.KEY + "\0step:5").getBytes(StandardCharsets.UTF_8)), 8);
        assertThat(root().traceId()).isEqualTo(traceId);
        assertThat(root().spanId()).isEqualTo(rootId);
        assertThat(OtlpFixtures.byOperation(spans, "chat").get(0).spanId()).isEqualTo(chat0);
        assertThat(named(spans, "execute_tool Bash").spanId()).isEqualTo(step5);
        OtlpResource r = new OtlpResource("1.0", "h", "claude-code");
        assertThat(OtlpProtobuf.encode(TraceToSpans.map(OtlpFixtures.trace(), false), r))
                .isEqualTo(OtlpProtobuf.encode(spans, r));
        assertThat(OtlpJson.encode(TraceToSpans.map(OtlpFixtures.trace(), true), r))
                .isEqualTo(OtlpJson.encode(TraceToSpans.map(trace, true), r));
    }

    @Test
    void aBareTraceStillMaps() {
        Trace bare = new Trace("n", null, null, null, null, null, List.of(new Step(1, "tool_use", "Tool: x", null, null,
                null, null, null, null, "")), List.of(), null, null);
        List<OtlpSpan> s = TraceToSpans.map(bare, true);
        assertThat(s).extracting(OtlpSpan::name).containsExactly("invoke_agent agent", "execute_tool");
        assertThat(s.get(0).startNanos()).isZero();
        assertThat(s.get(0).traceId()).hasSize(16).isNotEqualTo(new byte[16]);
    }

    @Test
    void providersMapToWellKnownValues() {
        assertThat(GenAi.provider("google")).isEqualTo("gcp.gemini");
        assertThat(GenAi.provider("openai")).isEqualTo("openai");
        assertThat(GenAi.provider("anthropic")).isEqualTo("anthropic");
        assertThat(GenAi.provider("somebody")).isEqualTo("somebody");
        assertThat(GenAi.provider(null)).isNull();
    }

    private static void assertWindow(OtlpSpan s, String start, String end) {
        assertThat(s.startNanos()).as(s.name() + " start").isEqualTo(nanos(iso(start)));
        assertThat(s.endNanos()).as(s.name() + " end").isEqualTo(nanos(iso(end)));
    }

    private static String iso(String time) {
        return "2026-03-01T" + time + "Z";
    }

    private static Map<String, Object> attrs(OtlpSpan s) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        s.attributes().forEach(a -> m.put(a.key(), a.value()));
        return m;
    }
}
