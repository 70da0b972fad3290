package ai.infinium.connector.flush;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.testing.ClaudeSessionScript;
import ai.infinium.connector.testing.FakeInfiniumApi;
import ai.infinium.connector.testing.ReceivedTrace;
import ai.infinium.connector.testing.TestEnv;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The redaction corpus ({@code redact/corpus.json}) through the whole path: each entry's text
 * goes where its context says (the prompt, a Bash command, a tool's output, an MCP tool's JSON
 * input, the assistant's answer) of one turn of its own, through the real hook and flush, with
 * the API down so every trace waits in the outbox; then the API comes back and gets them. A
 * credential counts as leaked when its trace, on disk or as received, holds the secret or any
 * 12 characters of it.
 */
class RedactionCorpusFlushTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int SLICE = 12;

    @TempDir Path tmp;
    FakeInfiniumApi api;
    TestEnv env;
    ClaudeSessionScript s;
    int turn;

    @BeforeEach
    void setUp() throws IOException {
        api = FakeInfiniumApi.start("agent-corpus", "secret-corpus-1");
        env = new TestEnv(tmp).sendingTo(api);
        s = new ClaudeSessionScript(env, tmp.resolve("claude"), "sess-corpus",
                Files.createDirectories(tmp.resolve("project")));
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    static JsonNode corpus() throws IOException {
        try (InputStream in = RedactionCorpusFlushTest.class.getResourceAsStream("/redact/corpus.json")) {
            return JSON.readTree(in);
        }
    }

    /** One turn whose {@code context} holds {@code text}; the turn's prompt names it, so its trace can be found. */
    void turnWith(String context, String text) throws IOException {
        if (++turn % 25 == 1) {
            // A fresh session every 25 turns: a flush reads its session's spool, so one long session costs n².
            s = new ClaudeSessionScript(env, tmp.resolve("claude"), "sess-corpus-" + turn, tmp.resolve("project"));
        }
        String id = "p" + turn;
        String marker = "CORPUS-TURN-" + turn + " ";
        String prompt = marker + (context.equals("prompt") ? text : "next entry");
        s.userLine(s.transcript, id, prompt);
        s.hook(id, "UserPromptSubmit", "prompt", prompt);
        ObjectNode pre = JSON.createObjectNode().put("tool_use_id", "t" + turn);
        switch (context) {
            case "command":
                pre.put("tool_name", "Bash").putObject("tool_input").put("command", text);
                break;
            case "tool_input_json":
                JsonNode input;
                try {
                    input = JSON.readTree(text);
                } catch (IOException notJson) {
                    input = JSON.getNodeFactory().textNode(text);
                }
                pre.put("tool_name", "mcp__corpus__call").set("tool_input", input);
                break;
            default:
                pre.put("tool_name", "Bash").putObject("tool_input").put("command", "cat notes.txt");
        }
        s.hook(id, "PreToolUse", pre);
        ObjectNode post = pre.deepCopy();
        post.putObject("tool_response").put("stdout", context.equals("tool_output") ? text : "ok").put("stderr", "");
        s.hook(id, "PostToolUse", post);
        String answer = context.equals("assistant") ? text : "done";
        s.assistant(s.transcript, "msg_" + turn, 10, 0, 5, answer);
        s.hook(id, "Stop", "last_assistant_message", answer);
    }

    static int marks(String s) {
        return s.split("\\[REDACTED:", -1).length - 1;
    }

    static boolean leaks(String trace, String secret) {
        if (trace.contains(secret)) {
            return true;
        }
        for (int i = 0; i + SLICE <= secret.length(); i++) {
            if (trace.contains(secret.substring(i, i + SLICE))) {
                return true;
            }
        }
        return false;
    }

    /** The texts of the outbox files, by the turn marker they hold. */
    List<String> outbox() throws IOException {
        List<String> texts = new ArrayList<>();
        try (Stream<Path> files = Files.list(env.dirs().state().resolve("outbox"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                texts.add(Files.readString(f));
            }
        }
        return texts;
    }

    static String traceOf(List<String> traces, int turn) {
        String marker = "CORPUS-TURN-" + turn + " ";
        return traces.stream().filter(t -> t.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("no trace for turn " + turn));
    }

    @Test
    void credentialsNeverReachTheOutboxOrTheApiAndNearMissesArriveUnchanged() throws IOException {
        JsonNode corpus = corpus();
        List<JsonNode> credentials = new ArrayList<>();
        corpus.path("credentials").forEach(credentials::add);
        List<JsonNode> nearMisses = new ArrayList<>();
        corpus.path("near_misses").forEach(nearMisses::add);

        api.setDown(true);
        for (JsonNode c : credentials) {
            turnWith(c.path("context").asText(), c.path("text").asText());
        }
        for (JsonNode n : nearMisses) {
            turnWith(n.has("context") ? n.path("context").asText() : "tool_output", n.path("text").asText());
        }
        List<String> queued = outbox();
        assertThat(queued).hasSize(credentials.size() + nearMisses.size());

        api.setDown(false);
        assertThat(env.run(tmp, "retry").code()).isZero();
        List<String> received = new ArrayList<>();
        for (ReceivedTrace t : api.awaitTraces(queued.size(), Duration.ofSeconds(60))) {
            received.add(t.body().toString());
        }

        List<String> leaked = new ArrayList<>();
        Set<String> formats = new LinkedHashSet<>();
        for (int i = 0; i < credentials.size(); i++) {
            JsonNode c = credentials.get(i);
            formats.add(c.path("format").asText());
            String secret = c.path("secret").asText();
            boolean onDisk = leaks(traceOf(queued, i + 1), secret);
            boolean sent = leaks(traceOf(received, i + 1), secret);
            if (onDisk || sent) {
                leaked.add(c.path("format").asText() + " in " + c.path("context").asText()
                        + (onDisk ? " (outbox)" : "") + (sent ? " (API)" : ""));
            }
        }
        List<String> altered = new ArrayList<>();
        for (int i = 0; i < nearMisses.size(); i++) {
            // Altered: the trace holds more replacement marks than the text itself (a near miss may quote one).
            String text = nearMisses.get(i).path("text").asText();
            if (marks(traceOf(received, credentials.size() + i + 1)) > marks(text)) {
                altered.add(nearMisses.get(i).path("what").asText());
            }
        }
        double caught = 100.0 * (credentials.size() - leaked.size()) / credentials.size();
        double changed = 100.0 * altered.size() / nearMisses.size();
        System.out.printf("corpus through the flush: %d credentials in %d formats, %.1f %% kept out of the outbox and "
                + "the API; near misses %d, altered %d (%.1f %%)%s%n", credentials.size(), formats.size(), caught,
                nearMisses.size(), altered.size(), changed, altered.isEmpty() ? "" : ": " + altered);
        assertThat(formats.size()).isGreaterThanOrEqualTo(60);
        assertThat(caught).as("leaked: %s", leaked).isGreaterThanOrEqualTo(99.0);
        assertThat(changed).as("altered: %s", altered).isLessThanOrEqualTo(3.0);
    }
}
