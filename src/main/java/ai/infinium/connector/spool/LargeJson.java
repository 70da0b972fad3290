package ai.infinium.connector.spool;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A JSON mapper for agent data (spool lines, transcripts): tool outputs beyond Jackson's default
 * 20 M-character string limit are real and must be read, not rejected.
 */
public final class LargeJson {
    private LargeJson() {}

    public static JsonFactory factory() {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                .build();
    }

    public static ObjectMapper mapper() {
        return new ObjectMapper(factory());
    }
}
