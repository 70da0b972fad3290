package ai.infinium.connector.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.export.infinium.InfiniumTraceJson;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.TestEnv;
import ai.infinium.connector.trace.Environment;
import ai.infinium.connector.trace.ErrorDetail;
import ai.infinium.connector.trace.LlmUsage;
import ai.infinium.connector.trace.ModelCall;
import ai.infinium.connector.trace.Step;
import ai.infinium.connector.trace.Trace;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox keeps the neutral trace whole; Infinium gets its own form of it; older entries still go out. */
class QueuedTraceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    static Trace sample() {
        ErrorDetail err = new ErrorDetail("ToolError", "exit 2", true, null);
        return new Trace("fix the bug", "fix the bug in main.c", "2026-12-01T10:00:05.250Z", 5.25, "fix the bug", "done",
                List.of(new Step(1, "user_prompt", "User prompt", "fix the bug", null, null, "2026-12-01T10:00:00Z", null,
                                null, null),
                        new Step(2, "tool_use", "Tool: Bash", "make", "error", 1200L, "2026-12-01T10:00:01Z", err, null, null)
                                .named("Bash", "toolu_01"),
                        new Step(3, "subagent", "Subagent: Explore", null, "found it", 900L, "2026-12-01T10:00:03Z", null,
                                "a1", null).named("Explore", null)),
                List.of(err.atStep(2)),
                new Environment("claude-code", "claude-opus-5-5", "sess-1", "/p", "default", "startup",
                        Map.of("trace_key", "inf-1", "cache_read_input_tokens", 30)),
                new LlmUsage("claude-opus-5-5", "anthropic", 150, 20, 170, 2), "inf-1", "claude-code",
                List.of(new ModelCall("claude-opus-5-5", "anthropic", 100, 12, 30, 5, 0, "2026-12-01T10:00:01Z", false, null),
                        new ModelCall("claude-haiku-5", "anthropic", 50, 8, 0, 0, 0, null, true, "a1")));
    }

    @Test
    void theQueuedFormReadsBackAsTheSameTrace() throws Exception {
        Trace t = sample();
        assertThat(QueuedTraces.read(QueuedTraces.tree(t))).isEqualTo(t);
    }

    @Test
    void infiniumsFormLeavesOutWhatOnlyOtherExportersRead() throws Exception {
        JsonNode wire = JSON.readTree(InfiniumTraceJson.bytes(sample()));
        assertThat(wire.has("key")).isFalse();
        assertThat(wire.has("agent")).isFalse();
        assertThat(wire.has("model_calls")).isFalse();
        assertThat(wire.path("steps").get(1).has("name")).isFalse();
        assertThat(wire.path("steps").get(1).has("call_id")).isFalse();
        assertThat(wire.path("llm_usage").path("prompt_tokens").asLong()).isEqualTo(150);
        assertThat(wire.path("steps").get(1).path("error").path("message").asText()).isEqualTo("exit 2");
    }

    /** An entry written by the version before exporters (Infinium JSON in {@code payload}) is sent as it is. */
    @Test
    void anEntryQueuedByAnOlderVersionIsDeliveredUnchanged() throws Exception {
        try (FakeInfiniumApi api = FakeInfiniumApi.start("agent-1", "secret-123456")) {
            TestEnv env = new TestEnv(tmp).sendingTo(api).with("INFINIUM_AGENT_SECRET", "secret-123456");
            JsonNode payload = JSON.readTree(InfiniumTraceJson.bytes(sample()));
            com.fasterxml.jackson.databind.node.ObjectNode old = JSON.createObjectNode();
            old.put("key", "inf-old").put("agent", "claude-code").put("session_id", "sess-1")
                    .put("created_at", "2026-11-30T10:00:00Z").put("agent_id", "agent-1").put("base_url", api.baseUrl())
                    .put("status", "pending").put("attempts", 0).put("next_attempt_at_millis", 0).put("name", "fix the bug")
                    .put("steps", 3).put("duration", 5.25).set("payload", payload);
            Path outbox = Files.createDirectories(env.dirs().state().resolve("outbox"));
            Files.write(outbox.resolve("inf-old.json"), JSON.writeValueAsBytes(old));

            Deliverer.Summary s = env.context().deliverer().deliver(e -> true, true, null);
            assertThat(s.delivered()).isEqualTo(1);
            assertThat(api.awaitTraces(1, Duration.ofSeconds(10)).get(0).body()).isEqualTo(payload);
            assertThat(env.context().outbox().list()).isEmpty();
            assertThat(env.context().history().all().get(0).exporter()).isEqualTo("infinium");
        }
    }
}
