package ai.infinium.connector.export.infinium;

import ai.infinium.connector.export.DeliveryResult;
import ai.infinium.connector.export.Exporter;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.trace.Trace;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Infinium as an exporter: the neutral trace cut to the API's size limit, in its JSON, posted as
 * the entry's agent with the secret looked up at send time.
 */
public final class InfiniumExporter implements Exporter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Supplier<InfiniumApi> api;
    private final Function<OutboxEntry, Optional<String>> secrets;
    private final InfiniumLimits limits = new InfiniumLimits(InfiniumLimits.DEFAULT_MAX_BYTES);

    /**
     * @param api built on first use: a run with nothing for Infinium never builds its HTTP client
     * @param secrets the agent's secret, asked once per agent and run by the caller's own cache
     */
    public InfiniumExporter(Supplier<InfiniumApi> api, Function<OutboxEntry, Optional<String>> secrets) {
        this.api = api;
        this.secrets = secrets;
    }

    @Override
    public String name() {
        return OutboxEntry.INFINIUM;
    }

    /** The bytes Infinium receives for a trace. */
    public byte[] encode(Trace trace) {
        return InfiniumTraceJson.bytes(limits.fit(trace));
    }

    @Override
    public DeliveryResult deliver(OutboxEntry entry, Trace trace) {
        Optional<String> secret = secrets.apply(entry);
        if (secret.isEmpty()) {
            return DeliveryResult.transientFailure(0, "no secret found for agent " + entry.agentId()
                    + " (set INFINIUM_AGENT_SECRET, run `infinium update-credentials`, or, for the Claude Code"
                    + " plugin's agent, set its agent_secret option: a later hook of the plugin sends it)");
        }
        byte[] body;
        try {
            body = trace != null ? encode(trace) : JSON.writeValueAsBytes(entry.payload());
        } catch (JsonProcessingException e) {
            return DeliveryResult.rejected(0, "the queued trace cannot be encoded: " + e.getOriginalMessage());
        }
        return api.get().send(new TracePost(entry.key(), body, entry.baseUrl(), entry.agentId(), secret.get()));
    }
}
