package ai.infinium.connector.cli;

import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.config.OtlpConfig;
import ai.infinium.connector.config.OtlpDestination;
import ai.infinium.connector.config.ProjectConfig;
import ai.infinium.connector.export.Outbox;
import ai.infinium.connector.export.OutboxEntry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code status}'s account of where this project's traces go, one exporter each, and what waits for each. */
final class ExporterStatus {
    private ExporterStatus() {}

    /** The lines under {@code Exporters:}, the {@code exporters} JSON object, and any problem that stops export. */
    static List<String> describe(Io io, Credentials c, ProjectConfig project, Map<String, Outbox.Counts> waiting,
            ObjectNode json, TracingProblems problems) {
        List<String> lines = new ArrayList<>();
        ObjectNode inf = json.putObject(OutboxEntry.INFINIUM);
        boolean infiniumOn = project == null || project.infinium();
        inf.put("enabled", infiniumOn);
        if (infiniumOn) {
            inf.put("base_url", c == null ? null : c.baseUrl());
            lines.add("infinium  " + (c == null ? "?" : c.baseUrl()) + waitingWords(waiting.get(OutboxEntry.INFINIUM)));
        } else {
            lines.add("infinium  off (this project said --no-infinium)" + waitingWords(waiting.get(OutboxEntry.INFINIUM)));
        }
        counts(inf, waiting.get(OutboxEntry.INFINIUM));
        ObjectNode otlp = json.putObject(OutboxEntry.OTLP);
        OtlpConfig o = project == null ? null : project.otlp();
        otlp.put("enabled", o != null);
        counts(otlp, waiting.get(OutboxEntry.OTLP));
        if (o == null) {
            lines.add("otlp      off (`infinium init --otlp-endpoint URL` exports spans too)"
                    + waitingWords(waiting.get(OutboxEntry.OTLP)));
            return lines;
        }
        String fix = "fix the \"otlp\" settings in " + project.file() + " or run `infinium init --otlp-endpoint URL` again";
        OtlpDestination destination = new OtlpDestination(io.ctx.env());
        try {
            OtlpDestination.Target t = destination.target(o);
            otlp.put("endpoint", t.endpoint());
            otlp.put("endpoint_source", t.endpointSource());
            otlp.put("protocol", t.protocol());
            otlp.put("content", t.content());
            otlp.put("timeout_ms", destination.timeout().toMillis());
            List<String> names = new ArrayList<>(o.headers().keySet());
            names.addAll(o.secretHeaders());
            names.forEach(otlp.putArray("headers")::add);
            lines.add("otlp      " + t.endpoint() + " (" + t.protocol() + (t.endpointSource().equals("project file") ? ""
                    : ", from " + t.endpointSource()) + (names.isEmpty() ? "" : ", headers " + String.join(", ", names))
                    + (t.content() ? ", with prompt and tool text" : ", no prompt or tool text") + ")"
                    + waitingWords(waiting.get(OutboxEntry.OTLP)));
        } catch (ConfigException e) {
            problems.agentProblem(null, e.getMessage() + " (traces wait in the spool)", fix);
            otlp.put("problem", e.getMessage());
            lines.add("otlp      " + e.getMessage());
            return lines;
        }
        try {
            destination.headers(project, io.ctx.secrets());
        } catch (IOException e) {
            problems.agentProblem(null, e.getMessage(), "run `infinium init --otlp-header NAME=VALUE` again");
            otlp.put("problem", e.getMessage());
        }
        return lines;
    }

    private static String waitingWords(Outbox.Counts n) {
        if (n == null || n.pending() + n.rejected() == 0) {
            return "";
        }
        return "; waiting: " + n.pending() + " pending, " + n.rejected() + " rejected";
    }

    private static void counts(ObjectNode node, Outbox.Counts n) {
        node.put("pending", n == null ? 0 : n.pending());
        node.put("rejected", n == null ? 0 : n.rejected());
        if (n != null && n.newestError() != null) {
            node.put("newest_error", n.newestError().lastError());
        }
    }
}
