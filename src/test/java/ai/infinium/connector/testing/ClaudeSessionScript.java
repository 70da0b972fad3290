package ai.infinium.connector.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A Claude Code session written by hand, in the shapes of the 2.1.330 fixtures: hook events fed
 * to the real hook (which flushes in-process at Stop), and transcript lines appended to the
 * session's transcript or a subagent's, so a test controls what each flush finds on disk.
 */
public final class ClaudeSessionScript {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestEnv env;
    private final String sessionId;
    private final Path cwd;
    public final Path transcript;
    private boolean viaPlugin;

    public ClaudeSessionScript(TestEnv env, Path dir, String sessionId, Path cwd) {
        this.env = env;
        this.sessionId = sessionId;
        this.cwd = cwd;
        this.transcript = dir.resolve("projects").resolve("-proj").resolve(sessionId + ".jsonl");
    }

    /** Its events come through the infinium Claude Code plugin's hook from now on. */
    public ClaudeSessionScript viaPlugin() {
        viaPlugin = true;
        return this;
    }

    private void send(byte[] payload) {
        if (viaPlugin) {
            env.pluginHook("claude-code", payload);
        } else {
            env.hook("claude-code", payload);
        }
    }

    public Path subagentTranscript(String agentId) {
        return transcript.resolveSibling(sessionId).resolve("subagents").resolve("agent-" + agentId + ".jsonl");
    }

    public Path spool() {
        return env.dirs().sessions().resolve("claude-code").resolve(sessionId + ".jsonl");
    }

    public Path state() {
        return env.dirs().sessions().resolve("claude-code").resolve(sessionId + ".state.json");
    }

    /** One hook event: {@code kv} are extra top-level string fields. */
    public void hook(String promptId, String event, String... kv) throws IOException {
        send(payload(promptId, event, kv));
    }

    /** One hook event with structured fields ({@code tool_input} objects, say) set in {@code fields}. */
    public void hook(String promptId, String event, ObjectNode fields) throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(payload(promptId, event));
        n.setAll(fields);
        send(JSON.writeValueAsBytes(n));
    }

    /** One hook event, its flush (if it asks for one) left undone. */
    public void hookWithoutFlush(String promptId, String event, String... kv) throws IOException {
        env.hookWithoutFlush("claude-code", payload(promptId, event, kv));
    }

    private byte[] payload(String promptId, String event, String... kv) throws IOException {
        ObjectNode n = JSON.createObjectNode().put("session_id", sessionId).put("transcript_path", transcript.toString())
                .put("cwd", cwd.toString());
        if (promptId != null) {
            n.put("prompt_id", promptId).put("permission_mode", "default");
        }
        n.put("hook_event_name", event);
        for (int i = 0; i < kv.length; i += 2) {
            n.put(kv[i], kv[i + 1]);
        }
        return JSON.writeValueAsBytes(n);
    }

    public void userLine(Path file, String promptId, String text) throws IOException {
        ObjectNode n = JSON.createObjectNode().put("parentUuid", (String) null).put("isSidechain", false)
                .put("promptId", promptId).put("type", "user");
        n.putObject("message").put("role", "user").put("content", text);
        append(file, n);
    }

    /** One API response in one line, with its usage. */
    public void assistant(Path file, String messageId, long input, long cacheRead, long output, String text)
            throws IOException {
        ObjectNode n = JSON.createObjectNode().put("parentUuid", "u").put("isSidechain", false);
        ObjectNode m = n.putObject("message").put("id", messageId).put("type", "message").put("role", "assistant")
                .put("model", "claude-opus-5-5");
        m.putArray("content").addObject().put("type", "text").put("text", text);
        m.putObject("usage").put("input_tokens", input).put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", cacheRead).put("output_tokens", output);
        n.put("requestId", "req_" + messageId).put("type", "assistant");
        append(file, n);
    }

    /** A line usage ignores (Claude Code writes many: attachments, request dumps), of about {@code bytes}. */
    public void filler(Path file, int bytes) throws IOException {
        append(file, JSON.createObjectNode().put("type", "attachment").put("content", "f".repeat(Math.max(0, bytes - 40))));
    }

    public static void append(Path file, ObjectNode line) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Rewrites {@code from} to {@code to} (same length) in the lines containing {@code marker},
     * in place: the file keeps its size, the bytes differ.
     */
    public static void rewriteSameLength(Path file, String marker, String from, String to) throws IOException {
        if (from.length() != to.length()) {
            throw new IllegalArgumentException("not the same length");
        }
        StringBuilder out = new StringBuilder();
        int changed = 0;
        for (String line : Files.readString(file).split("\n", -1)) {
            if (line.contains(marker) && line.contains(from)) {
                line = line.replace(from, to);
                changed++;
            }
            out.append(line).append('\n');
        }
        if (changed == 0) {
            throw new IllegalStateException(file + " has no line with " + marker + " and " + from);
        }
        Files.writeString(file, out.substring(0, out.length() - 1));
    }
}
