package ai.infinium.connector.export.infinium;

import ai.infinium.connector.trace.Environment;
import ai.infinium.connector.trace.Previews;
import ai.infinium.connector.trace.Step;
import ai.infinium.connector.trace.Trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a serialised trace under the API's 1 MB limit: first shortens the longest previews,
 * then drops the oldest steps (recording how many in {@code custom_tags.steps_dropped}).
 */
public final class InfiniumLimits {
    public static final int DEFAULT_MAX_BYTES = 950_000;
    private static final int[] PREVIEW_LIMITS = {4000, 1000, 300, 100, 20};

    private final int maxBytes;

    public InfiniumLimits(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    public Trace fit(Trace trace) {
        if (size(trace) <= maxBytes) {
            return trace;
        }
        Trace t = trace;
        for (int limit : PREVIEW_LIMITS) {
            List<Step> shorter = new ArrayList<>();
            for (Step s : t.steps()) {
                shorter.add(s.withPreviews(Previews.cut(s.inputPreview(), limit), Previews.cut(s.outputPreview(), limit)));
            }
            t = tagged(t.withSteps(shorter), "previews_truncated_to", limit);
            if (size(t) <= maxBytes) {
                return t;
            }
        }
        List<Step> steps = new ArrayList<>(t.steps());
        int dropped = 0;
        while (!steps.isEmpty() && size(t) > maxBytes) {
            int chunk = Math.max(1, steps.size() / 10);
            steps.subList(0, Math.min(chunk, steps.size())).clear();
            dropped += chunk;
            t = tagged(t.withSteps(new ArrayList<>(steps)), "steps_dropped", dropped);
        }
        if (size(t) > maxBytes) {
            // Only the summaries can still be this large.
            t = t.withSummaries(Previews.cut(t.name(), 200), Previews.cut(t.description(), 2000),
                    Previews.cut(t.inputSummary(), 2000), Previews.cut(t.outputSummary(), 2000),
                    t.errors().size() > 100 ? t.errors().subList(0, 100) : t.errors());
        }
        return t;
    }

    public static int size(Trace t) {
        return InfiniumTraceJson.bytes(t).length;
    }

    private static Trace tagged(Trace t, String key, Object value) {
        Environment env = t.environment();
        Map<String, Object> tags = new LinkedHashMap<>(env.customTags() == null ? Map.of() : env.customTags());
        tags.put(key, value);
        return t.withEnvironment(env.withCustomTags(tags));
    }
}
