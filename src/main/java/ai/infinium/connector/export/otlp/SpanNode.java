package ai.infinium.connector.export.otlp;

import java.util.ArrayList;
import java.util.List;

/** A span while the mapping places it: its times still move as its children are placed. */
final class SpanNode {
    final byte[] id;
    final SpanNode parent;
    final String name;
    final int kind;
    long start;
    long end;
    boolean chat;
    final OtlpAttribute.Builder attrs = new OtlpAttribute.Builder();
    OtlpSpan.Status status;
    final List<OtlpSpan.Event> events = new ArrayList<>();
    final List<SpanNode> children = new ArrayList<>();

    SpanNode(byte[] id, SpanNode parent, String name, int kind, long start, long end) {
        this.id = id;
        this.parent = parent;
        this.name = name;
        this.kind = kind;
        this.start = start;
        this.end = Math.max(start, end);
    }

    /** Where a child with no time of its own goes: after the last one placed. */
    long lastChildEnd() {
        return children.isEmpty() ? start : Math.max(start, children.get(children.size() - 1).end);
    }

    /** The end of what precedes a moment in this span: the latest child to end by then, else the start. */
    long latestChildEndBefore(long t) {
        long best = start;
        for (SpanNode c : children) {
            if (c.end <= t && c.end > best) {
                best = c.end;
            }
        }
        return best;
    }

    long lastChatEnd() {
        for (int i = children.size() - 1; i >= 0; i--) {
            if (children.get(i).chat) {
                return children.get(i).end;
            }
        }
        return start;
    }

    /** A parent's span covers its children's, whatever its own times said. */
    void coverChildren() {
        for (SpanNode c : children) {
            start = Math.min(start, c.start);
            end = Math.max(end, c.end);
        }
    }

    /** A failed span: ERROR status, the conventions' {@code error.type}, and an exception event. */
    void error(String statusMessage, String type, String message, long at) {
        status = OtlpSpan.Status.error(statusMessage);
        attrs.put("error.type", type);
        event(type, message, at);
    }

    /** An {@code exception} event, as the conventions name a failure's record on its span. */
    void event(String type, String message, long at) {
        events.add(new OtlpSpan.Event("exception", at,
                new OtlpAttribute.Builder().put("exception.type", type).put("exception.message", message).build()));
    }

    OtlpSpan toSpan(byte[] traceId) {
        return new OtlpSpan(traceId, id, parent == null ? null : parent.id, name, kind, start, end, attrs.build(), status,
                events);
    }
}
