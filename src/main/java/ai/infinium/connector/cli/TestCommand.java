package ai.infinium.connector.cli;

import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.config.OtlpDestination;
import ai.infinium.connector.config.ProjectConfig;
import ai.infinium.connector.export.DeliveryResult;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.export.infinium.InfiniumTraceJson;
import ai.infinium.connector.export.infinium.TracePost;
import ai.infinium.connector.trace.Environment;
import ai.infinium.connector.trace.LlmUsage;
import ai.infinium.connector.trace.Step;
import ai.infinium.connector.trace.Trace;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code infinium test}: one small trace through the real senders, to prove credentials and network. */
final class TestCommand implements Command {
    static final Options OPTIONS = Options.of(
            Option.flag("--verbose", "print the trace payload before sending (the secret is never printed)").alias("-v"));

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
                "Sends a small test trace with this project's settings through the real senders: to",
                "Infinium, and to the OTLP endpoint when the project exports spans. Exits 0 only if",
                "every destination accepted it.",
                "",
                OPTIONS.help());
    }

    @Override
    public Options declaredOptions() {
        return OPTIONS;
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Args args = OPTIONS.parse(raw);
        Credentials c = io.ctx.resolver().resolve(io.cwd);
        ProjectConfig project = c.project();
        boolean otlp = project != null && project.otlp() != null;
        boolean infinium = project == null || project.infinium();
        if (infinium && c.secretOnlyInPluginHooks() && !otlp) {
            io.err.println("infinium test: agent " + c.agentId() + " comes from the Claude Code plugin's options, whose"
                    + " secret Claude Code hands to the plugin's hooks only, so no test trace can be sent from here."
                    + " A Claude Code turn in this project is the test: `infinium history` shows its delivery.");
            return FAILED;
        }
        if (infinium && !c.complete() && !otlp) {
            io.err.println("infinium test: not configured here: " + (c.agentId() == null ? "no agent id" : "no secret")
                    + " found (run `infinium init`, or set INFINIUM_AGENT_ID and INFINIUM_AGENT_SECRET)");
            return FAILED;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String key = "test-" + UUID.randomUUID();
        Trace trace = new Trace("infinium connection test", "A test trace sent by `infinium test`.", now.toString(), 0.2,
                "infinium test", "Connection works",
                List.of(new Step(1, "user_prompt", "User prompt", "infinium test", null, null, now.toString(), null,
                                null, null),
                        new Step(2, "assistant_response", "Assistant response", null, "Connection works", null,
                                now.toString(), null, null, null)),
                List.of(),
                new Environment("infinium-test", null, key, io.cwd.toString(), null, null, Map.of("test", true)),
                new LlmUsage(null, null, 0, 0, 0, 0), key, "infinium-test", List.of());
        boolean ok = true;
        if (infinium) {
            if (!c.complete()) {
                io.err.println("infinium test: Infinium: " + (c.agentId() == null ? "no agent id" : "no secret")
                        + " found (run `infinium update-credentials`, or `infinium init --no-infinium` for OTLP only)");
                ok = false;
            } else {
                ok &= toInfinium(io, c, trace, key, args.has("--verbose"));
            }
        }
        if (otlp) {
            ok &= toOtlp(io, project, trace, args.has("--verbose"));
        }
        return ok ? OK : FAILED;
    }

    private static boolean toInfinium(Io io, Credentials c, Trace trace, String key, boolean verbose) {
        byte[] body = InfiniumTraceJson.bytes(trace);
        io.say("Sending a test trace to " + c.baseUrl() + " as agent " + c.agentId() + " (secret " + c.maskedSecret()
                + ", from " + c.secretSource() + ")");
        if (verbose) {
            io.out.println(InfiniumTraceJson.pretty(trace));
        }
        DeliveryResult r = io.ctx.infiniumApi().sendWhileWatched(new TracePost(key, body, c.baseUrl(), c.agentId(),
                c.secret()), what -> io.say("  " + what));
        if (r.delivered()) {
            io.say("OK: the API accepted the trace (HTTP " + r.httpStatus()
                    + (r.traceId() == null ? "" : ", trace id " + r.traceId()) + ")");
            return true;
        }
        io.err.println("infinium test: the trace was not accepted: " + r.message());
        return false;
    }

    private static boolean toOtlp(Io io, ProjectConfig project, Trace trace, boolean verbose) {
        OtlpDestination.Target t;
        try {
            t = new OtlpDestination(io.ctx.env()).target(project.otlp());
        } catch (ConfigException e) {
            io.err.println("infinium test: OTLP: " + e.getMessage());
            return false;
        }
        io.say("Sending a test trace as OTLP spans to " + t.endpoint() + " (" + t.protocol() + ")");
        OutboxEntry entry = OutboxEntry.forOtlp(new OutboxEntry.About(trace.key(), trace.agent(), trace.key(),
                trace.currentDatetime(), project.projectDir().toString(), trace.name(), trace.steps().size(), 0.2),
                t.endpoint(), t.protocol(), t.content(), null);
        if (verbose) {
            io.out.println(new String(io.ctx.otlpExporter(true).encode(trace, t.content(),
                    ai.infinium.connector.config.OtlpConfig.JSON), java.nio.charset.StandardCharsets.UTF_8));
        }
        DeliveryResult r = io.ctx.otlpExporter(true).deliver(entry, trace);
        if (r.delivered()) {
            io.say("OK: the endpoint accepted the spans (HTTP " + r.httpStatus() + ", trace id " + r.traceId() + ")");
            return true;
        }
        io.err.println("infinium test: the OTLP endpoint did not accept the spans: " + r.message());
        return false;
    }
}
