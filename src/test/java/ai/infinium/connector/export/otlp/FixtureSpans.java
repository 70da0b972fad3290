package ai.infinium.connector.export.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.ReceivedTrace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OTLP request bodies decoded with the official generated classes (not our own {@link ProtoReader}),
 * grouped into traces, each paired with the Infinium trace of the same turn, and the checks that
 * the two say the same thing about the turn.
 */
final class FixtureSpans {
    private FixtureSpans() {}

    static final ObjectMapper JSON = new ObjectMapper();

    /** Attributes that carry the session's text: only with the project's content opt-in. */
    static final List<String> CONTENT = List.of("gen_ai.input.messages", "gen_ai.output.messages",
            "gen_ai.tool.call.arguments", "gen_ai.tool.call.result");

    /**
     * Our providers to the conventions' well-known values, written out here rather than taken from
     * {@link GenAi} so the test states the mapping instead of repeating the code's.
     */
    static final Map<String, String> PROVIDERS = Map.of("anthropic", "anthropic", "openai", "openai",
            "google", "gcp.gemini");

    /** Where each agent's usage reader puts its cache reads in custom_tags. */
    static final Map<String, String> CACHE_READ_TAG = Map.of("claude-code", "cache_read_input_tokens",
            "codex", "cached_input_tokens", "gemini", "cached_input_tokens", "qwen", "cached_input_tokens",
            "copilot", "cache_read_tokens");

    record Event(String name, Map<String, Object> attributes) {}

    record Span(String traceId, String spanId, String parentSpanId, String name, long start, long end,
            Map<String, Object> attributes, Status.StatusCode status, String statusMessage, List<Event> events,
            Map<String, Object> resource) {

        Object attr(String key) {
            return attributes.get(key);
        }

        String op() {
            return (String) attributes.get("gen_ai.operation.name");
        }

        long longAttr(String key) {
            Object v = attributes.get(key);
            return v == null ? 0 : ((Number) v).longValue();
        }

        boolean failed() {
            return status == Status.StatusCode.STATUS_CODE_ERROR;
        }

        @Override
        public String toString() {
            return name + "[" + spanId + " <- " + parentSpanId + "]";
        }
    }

    /** Every span of every request body, in arrival order. */
    static List<Span> decode(List<byte[]> bodies) {
        HexFormat hex = HexFormat.of();
        List<Span> out = new ArrayList<>();
        for (byte[] body : bodies) {
            ExportTraceServiceRequest req;
            try {
                req = ExportTraceServiceRequest.parseFrom(body);
            } catch (IOException e) {
                throw new UncheckedIOException("an OTLP body the official classes cannot read", e);
            }
            for (ResourceSpans rs : req.getResourceSpansList()) {
                Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
                        List<Event> events = new ArrayList<>();
                        for (io.opentelemetry.proto.trace.v1.Span.Event e : s.getEventsList()) {
                            events.add(new Event(e.getName(), attributes(e.getAttributesList())));
                        }
                        out.add(new Span(hex.formatHex(s.getTraceId().toByteArray()),
                                hex.formatHex(s.getSpanId().toByteArray()),
                                s.getParentSpanId().isEmpty() ? null : hex.formatHex(s.getParentSpanId().toByteArray()),
                                s.getName(), s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
                                attributes(s.getAttributesList()), s.getStatus().getCode(), s.getStatus().getMessage(),
                                events, resource));
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, Object> attributes(List<KeyValue> kvs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            out.put(kv.getKey(), value(kv.getValue()));
        }
        return out;
    }

    private static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case BOOL_VALUE -> v.getBoolValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(FixtureSpans::value).toList();
            default -> v.toString();
        };
    }

    static Map<String, List<Span>> byTrace(List<Span> spans) {
        Map<String, List<Span>> out = new LinkedHashMap<>();
        for (Span s : spans) {
            out.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
        }
        return out;
    }

    static long roots(List<Span> spans) {
        return spans.stream().filter(s -> s.parentSpanId() == null).count();
    }

    /** One OTLP trace and the Infinium trace of the same turn. */
    record Pair(String where, List<Span> spans, Span root, ReceivedTrace infinium) {
        JsonNode body() {
            return infinium.body();
        }

        List<JsonNode> steps(String action) {
            List<JsonNode> out = new ArrayList<>();
            body().path("steps").forEach(s -> {
                if (s.path("action").asText().equals(action)) {
                    out.add(s);
                }
            });
            return out;
        }

        List<Span> op(String op) {
            return spans.stream().filter(s -> op.equals(s.op())).toList();
        }

        /** The span of a step, found by the step number the mapping records on it. */
        Span stepSpan(JsonNode step, String op) {
            int n = step.path("step_number").asInt();
            List<Span> found = op(op).stream().filter(s -> s.longAttr("infinium.step.number") == n).toList();
            assertThat(found).as("%s: one %s span for step %d", where, op, n).hasSize(1);
            return found.get(0);
        }

        Span byId(String id) {
            return spans.stream().filter(s -> s.spanId().equals(id)).findFirst().orElse(null);
        }
    }

    /**
     * Pairs every OTLP trace with its Infinium trace (root's {@code infinium.trace_key} == the
     * request's {@code Idempotency-Key}); both sides must hold the same turns, each once.
     */
    static List<Pair> pair(String agent, String fixture, List<Span> spans, List<ReceivedTrace> infinium) {
        Map<String, List<Span>> traces = byTrace(spans);
        List<Pair> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, List<Span>> e : traces.entrySet()) {
            String where0 = agent + " " + fixture + " OTLP trace " + e.getKey();
            List<Span> roots = e.getValue().stream().filter(s -> s.parentSpanId() == null).toList();
            assertThat(roots).as("%s: exactly one root span", where0).hasSize(1);
            Span root = roots.get(0);
            Object key = root.attr("infinium.trace_key");
            ReceivedTrace twin = infinium.stream().filter(t -> Objects.equals(t.idempotencyKey(), key)).findFirst()
                    .orElseThrow(() -> new AssertionError(where0 + ": no Infinium trace has Idempotency-Key " + key
                            + " (Infinium got " + infinium + ")"));
            keys.add((String) key);
            out.add(new Pair(agent + " " + fixture + " trace \"" + twin.name() + "\" (key " + key + ")", e.getValue(), root,
                    twin));
        }
        assertThat(keys).as("%s %s: each Infinium trace has its OTLP trace, once", agent, fixture)
                .containsExactlyInAnyOrderElementsOf(infinium.stream().map(ReceivedTrace::idempotencyKey).toList());
        return out;
    }

    /** The tool's name as the Infinium step describes it: "Tool: Bash (in subagent) — what it does". */
    static String toolName(JsonNode step) {
        String d = step.path("description").asText();
        String n = d.startsWith("Tool: ") ? d.substring("Tool: ".length()) : d;
        int dash = n.indexOf(" — ");
        if (dash >= 0) {
            n = n.substring(0, dash);
        }
        return n.endsWith(" (in subagent)") ? n.substring(0, n.length() - " (in subagent)".length()) : n;
    }

    /** Every check of the mapping that holds whatever the content setting. */
    static void assertMapping(String agent, Pair p) {
        String w = p.where();
        JsonNode body = p.body();
        Span root = p.root();

        // ids: every span once, every parent in the trace
        assertThat(p.spans().stream().map(Span::spanId).distinct().count()).as("%s: span ids distinct (no span twice)", w)
                .isEqualTo(p.spans().size());
        for (Span s : p.spans()) {
            if (s.parentSpanId() != null) {
                assertThat(p.byId(s.parentSpanId())).as("%s: parent of %s in the trace", w, s).isNotNull();
            }
        }

        // the root
        assertThat(root.name()).as("%s: root name", w).startsWith("invoke_agent");
        assertThat(root.op()).as("%s: root operation", w).isEqualTo("invoke_agent");
        assertThat(root.attr("gen_ai.conversation.id")).as("%s: conversation id == environment.session_id", w)
                .isEqualTo(body.path("environment").path("session_id").asText());
        String provider = body.path("llm_usage").path("provider").asText(null);
        assertThat(root.attr("gen_ai.provider.name")).as("%s: provider as mapped from llm_usage.provider %s", w, provider)
                .isEqualTo(provider == null ? null : PROVIDERS.getOrDefault(provider, provider));
        assertThat(root.resource()).as("%s: resource", w).containsEntry("service.name", "infinium");
        boolean turnFailed = !p.steps("turn_failed").isEmpty();
        assertThat(root.failed()).as("%s: root ERROR exactly when the turn failed", w).isEqualTo(turnFailed);

        // a tool span per tool step: same number, names, and ERROR exactly where the step has an error
        List<JsonNode> toolSteps = p.steps("tool_use");
        assertThat(p.op("execute_tool")).as("%s: execute_tool spans == tool_use steps", w).hasSize(toolSteps.size());
        List<String> stepNames = new ArrayList<>();
        List<Object> spanNames = new ArrayList<>();
        for (JsonNode step : toolSteps) {
            Span s = p.stepSpan(step, "execute_tool");
            stepNames.add(toolName(step));
            spanNames.add(s.attr("gen_ai.tool.name"));
            assertThat(s.failed()).as("%s: ERROR on tool step %d (%s) iff it has an error", w,
                    step.path("step_number").asInt(), step.path("description").asText()).isEqualTo(step.has("error"));
            if (s.failed()) {
                assertThat(s.statusMessage()).as("%s: status message of %s", w, s).isNotBlank();
                assertThat(s.events()).as("%s: exception event on %s", w, s).anyMatch(e -> e.name().equals("exception"));
                assertThat(s.attr("error.type")).as("%s: error.type of %s", w, s)
                        .isEqualTo(step.path("error").path("error_type").asText("ToolError"));
            }
        }
        assertThat(spanNames).as("%s: gen_ai.tool.name per tool step, in step order", w).containsExactlyElementsOf(stepNames);

        // chat spans: one per model call, their tokens adding up to the trace's usage
        JsonNode usage = body.path("llm_usage");
        List<Span> chats = p.op("chat");
        assertThat(chats).as("%s: chat spans == llm_usage.api_calls_count", w).hasSize(usage.path("api_calls_count").asInt());
        assertThat(sum(chats, "gen_ai.usage.input_tokens")).as("%s: Σ chat input tokens == prompt_tokens", w)
                .isEqualTo(usage.path("prompt_tokens").asLong());
        assertThat(sum(chats, "gen_ai.usage.output_tokens")).as("%s: Σ chat output tokens == completion_tokens", w)
                .isEqualTo(usage.path("completion_tokens").asLong());
        JsonNode tags = body.path("environment").path("custom_tags");
        String cacheTag = CACHE_READ_TAG.get(agent);
        if (tags.has(cacheTag)) {
            assertThat(sum(chats, "gen_ai.usage.cache_read.input_tokens"))
                    .as("%s: Σ chat cache reads == custom_tags.%s", w, cacheTag).isEqualTo(tags.path(cacheTag).asLong());
        } else {
            assertThat(sum(chats, "gen_ai.usage.cache_read.input_tokens"))
                    .as("%s: no cache reads on the chat spans when custom_tags has no %s", w, cacheTag).isZero();
        }
        if (!chats.isEmpty()) {
            assertThat(root.attributes()).as("%s: no token sums on the root when chat spans carry them", w)
                    .doesNotContainKeys("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens");
        }
        for (Span c : chats) {
            assertThat(c.attr("gen_ai.provider.name")).as("%s: provider of %s", w, c).isEqualTo(root.attr("gen_ai.provider.name"));
        }

        // a subagent step is an invoke_agent child of the root; the tool steps run in it are its children
        Map<String, Span> subagentSpans = new LinkedHashMap<>();
        for (JsonNode step : p.steps("subagent")) {
            Span s = p.stepSpan(step, "invoke_agent");
            assertThat(s.parentSpanId()).as("%s: subagent step %d under the root", w, step.path("step_number").asInt())
                    .isEqualTo(root.spanId());
            assertThat(s.attr("gen_ai.agent.id")).as("%s: agent id of %s", w, s).isEqualTo(step.path("agent_id").asText(null));
            if (step.hasNonNull("agent_id")) {
                subagentSpans.putIfAbsent(step.get("agent_id").asText(), s);
            }
        }
        assertThat(p.op("invoke_agent")).as("%s: invoke_agent spans == root + subagent steps", w)
                .hasSize(1 + p.steps("subagent").size());
        for (JsonNode step : toolSteps) {
            Span s = p.stepSpan(step, "execute_tool");
            Span sub = step.hasNonNull("agent_id") ? subagentSpans.get(step.get("agent_id").asText()) : null;
            assertThat(s.parentSpanId()).as("%s: parent of tool step %d (agent_id %s)", w, step.path("step_number").asInt(),
                    step.path("agent_id").asText(null)).isEqualTo(sub != null ? sub.spanId() : root.spanId());
        }

        // every span within its parent's time window
        for (Span s : p.spans()) {
            assertThat(s.end()).as("%s: %s ends after it starts", w, s).isGreaterThanOrEqualTo(s.start());
            Span parent = s.parentSpanId() == null ? null : p.byId(s.parentSpanId());
            if (parent != null) {
                assertThat(s.start()).as("%s: %s starts within %s", w, s, parent).isGreaterThanOrEqualTo(parent.start());
                assertThat(s.end()).as("%s: %s ends within %s", w, s, parent).isLessThanOrEqualTo(parent.end());
            }
        }
    }

    /**
     * The root ends when the Infinium trace does, and starts when it starts, or earlier exactly as
     * far as a step of it began before: a subagent or tool call of an earlier turn whose end came
     * late belongs to this trace, and a root covers its children. Checked apart from (and after)
     * {@link #assertMapping}, so a turn whose window differs still has all its other rules checked.
     */
    static void assertRootDuration(Pair p) {
        String w = p.where();
        JsonNode body = p.body();
        java.time.Instant end = java.time.Instant.parse(body.path("current_datetime").asText());
        java.time.Instant turnStart = end.minusNanos(Math.round(body.path("duration").asDouble() * 1e9));
        java.time.Instant expectedStart = turnStart;
        for (JsonNode s : body.path("steps")) {
            String at = s.path("timestamp").asText(null);
            if (at != null && java.time.OffsetDateTime.parse(at).toInstant().isBefore(expectedStart)) {
                expectedStart = java.time.OffsetDateTime.parse(at).toInstant();
            }
        }
        assertThat(p.root().end() / 1_000_000).as("%s: the root ends at current_datetime %s", w, end)
                .isEqualTo(end.toEpochMilli());
        assertThat(p.root().start() / 1e6).as("%s: the root starts at the turn's start %s or its earliest step",
                w, turnStart).isCloseTo(expectedStart.toEpochMilli(), org.assertj.core.data.Offset.offset(2.0));
    }

    /** Σ cache-read tokens over the pairs' chat spans. */
    static long cacheReads(List<Pair> pairs) {
        return pairs.stream().mapToLong(p -> sum(p.op("chat"), "gen_ai.usage.cache_read.input_tokens")).sum();
    }

    /** Without the opt-in: no content attribute, and the prompt nowhere in the spans. */
    static void assertNoContent(Pair p) {
        String prompt = p.body().path("input_summary").asText("");
        for (Span s : p.spans()) {
            assertThat(s.attributes().keySet()).as("%s: no content attributes on %s without the opt-in", p.where(), s)
                    .doesNotContainAnyElementsOf(CONTENT);
            if (prompt.isBlank()) {
                continue;
            }
            List<String> texts = new ArrayList<>();
            texts.add(s.name());
            texts.add(s.statusMessage());
            s.attributes().values().forEach(v -> texts.add(String.valueOf(v)));
            s.events().forEach(e -> e.attributes().values().forEach(v -> texts.add(String.valueOf(v))));
            assertThat(texts).as("%s: the input_summary \"%s\" in no name or attribute of %s", p.where(), prompt, s)
                    .noneMatch(t -> t != null && t.contains(prompt));
        }
    }

    /** With the opt-in: the content attributes hold the Infinium trace's (redacted) texts. */
    static void assertContent(Pair p) {
        String w = p.where();
        JsonNode body = p.body();
        assertThat(messageText(p.root().attr("gen_ai.input.messages"))).as("%s: root input messages == input_summary", w)
                .isEqualTo(body.path("input_summary").asText(null));
        assertThat(messageText(p.root().attr("gen_ai.output.messages"))).as("%s: root output messages == output_summary", w)
                .isEqualTo(body.path("output_summary").asText(null));
        for (JsonNode step : p.steps("tool_use")) {
            Span s = p.stepSpan(step, "execute_tool");
            assertThat(s.attr("gen_ai.tool.call.arguments")).as("%s: arguments of step %d == input_preview", w,
                    step.path("step_number").asInt()).isEqualTo(step.path("input_preview").asText(null));
            assertThat(s.attr("gen_ai.tool.call.result")).as("%s: result of step %d == output_preview", w,
                    step.path("step_number").asInt()).isEqualTo(step.path("output_preview").asText(null));
        }
    }

    /** The text of a one-message, one-part GenAI messages JSON; null without one. */
    static String messageText(Object json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode m = JSON.readTree((String) json);
            assertThat(m.size()).as("one message in %s", json).isEqualTo(1);
            return m.path(0).path("parts").path(0).path("content").asText(null);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static long sum(List<Span> spans, String attribute) {
        return spans.stream().mapToLong(s -> s.longAttr(attribute)).sum();
    }
}
