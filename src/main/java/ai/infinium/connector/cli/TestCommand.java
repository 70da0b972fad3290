package ai.infinium.connector.cli;

import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.export.infinium.TracePost;
import ai.infinium.connector.export.DeliveryResult;
import ai.infinium.connector.trace.Environment;
import ai.infinium.connector.trace.LlmUsage;
import ai.infinium.connector.trace.Step;
import ai.infinium.connector.trace.Trace;
import ai.infinium.connector.export.infinium.InfiniumTraceJson;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** {@code infinium test}: one small trace through the real sender, to prove credentials and network. */
final class TestCommand implements Command {
    @Override
    public String name() {
        return "test";
    }

    @Override
    public String summary() {
        return "Send a test trace to check the setup end to end";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium test [-v]",
                "",
                "Sends a small test trace with this project's settings through the real sender.",
                "Exits 0 only if the API accepted it.",
                "",
                "Options:",
                "  -v, --verbose   print the trace payload before sending (the secret is never printed)");
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = Args.parse(raw, Set.of(), Set.of("--verbose"), Map.of("-v", "--verbose"));
        Credentials c = io.ctx.resolver().resolve(io.cwd);
        if (!c.complete()) {
            io.err.println("infinium test: not configured here: " + (c.agentId() == null ? "no agent id" : "no secret")
                    + " found (run `infinium init`, or set INFINIUM_AGENT_ID and INFINIUM_AGENT_SECRET)");
            return FAILED;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Trace trace = new Trace("infinium connection test", "A test trace sent by `infinium test`.", now.toString(), 0.2,
                "infinium test", "Connection works",
                List.of(new Step(1, "user_prompt", "User prompt", "infinium test", null, null, now.toString(), null,
                                null, null),
                        new Step(2, "assistant_response", "Assistant response", null, "Connection works", null,
                                now.toString(), null, null, null)),
                List.of(),
                new Environment("infinium-test", null, null, io.cwd.toString(), null, null, Map.of("test", true)),
                new LlmUsage(null, null, 0, 0, 0, 0));
        byte[] body = InfiniumTraceJson.bytes(trace);
        io.say("Sending a test trace to " + c.baseUrl() + " as agent " + c.agentId() + " (secret " + c.maskedSecret()
                + ", from " + c.secretSource() + ")");
        if (args.has("--verbose")) {
            io.out.println(InfiniumTraceJson.pretty(trace));
        }
        DeliveryResult r = io.ctx.infiniumApi().sendWhileWatched(new TracePost("test-" + UUID.randomUUID(), body,
                c.baseUrl(), c.agentId(), c.secret()), what -> io.say("  " + what));
        if (r.delivered()) {
            io.say("OK: the API accepted the trace (HTTP " + r.httpStatus()
                    + (r.traceId() == null ? "" : ", trace id " + r.traceId()) + ")");
            return OK;
        }
        io.err.println("infinium test: the trace was not accepted: " + r.message());
        return FAILED;
    }
}
