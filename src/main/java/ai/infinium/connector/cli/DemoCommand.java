package ai.infinium.connector.cli;

import ai.infinium.connector.Context;
import ai.infinium.connector.Version;
import ai.infinium.connector.config.FileSecretStore;
import ai.infinium.connector.demo.DemoReceiver;
import ai.infinium.connector.demo.RecordedSession;
import ai.infinium.connector.export.infinium.InfiniumApi;
import ai.infinium.connector.hook.HookCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code infinium demo}: replays a real recorded Claude Code session through the real hook,
 * spool, flush and HTTP sender into a loopback receiver, and prints what arrived. Everything
 * happens in a temporary directory: no account, no network, nothing of the user's touched.
 */
final class DemoCommand implements Command {
    static final String AGENT_ID = "demo-agent";
    static final String SECRET = "demo-secret-not-real";

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "Replay a recorded Claude Code session into a local receiver (no account needed)";
    }

    @Override
    public String help() {
        return String.join("\n",
                "Usage: infinium demo",
                "",
                "Replays a real recorded Claude Code session (a prompt with a shell command, a failing",
                "command, a missing file, a background subagent) through the real hook, spool, flush and",
                "HTTP sender into a receiver on 127.0.0.1 that checks traces as the Infinium API does,",
                "then prints the traces it received. Uses a temporary directory; touches nothing else.");
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Options.NONE.parse(raw); // no options: anything given is a usage error
        Path tmp = Files.createTempDirectory("infinium-demo-");
        try (DemoReceiver receiver = DemoReceiver.start(AGENT_ID, SECRET)) {
            Map<String, String> env = new HashMap<>();
            env.put("HOME", tmp.resolve("home").toString());
            env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
            env.put("XDG_STATE_HOME", tmp.resolve("state").toString());
            env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
            env.put("CONNECTOR_SESSION_DIR", tmp.resolve("sessions").toString());
            env.put("INFINIUM_AGENT_ID", AGENT_ID);
            env.put("INFINIUM_AGENT_SECRET", SECRET);
            env.put("INFINIUM_BASE_URL", receiver.baseUrl());
            Context demo = new Context(env, FileSecretStore.inConfigDir(new ai.infinium.connector.config.UserDirs(env)),
                    new InfiniumApi(Version.get()), System::currentTimeMillis);
            Path project = Files.createDirectories(tmp.resolve("project"));
            RecordedSession session = new RecordedSession("/demo/claude-code/", tmp.resolve("claude"),
                    "/tmp/harness-claude/config");
            session.installTranscripts();
            Io demoIo = new Io(new ByteArrayInputStream(new byte[0]), io.out, io.err, project, demo, false);
            FlushCommand flush = new FlushCommand();
            List<String> files = session.eventFiles();
            io.say("Replaying " + files.size() + " hook events of a recorded Claude Code 2.1.330 session…");
            for (String f : files) {
                HookCommand.run(new String[] {"hook", "--agent", "claude-code"},
                        new ByteArrayInputStream(session.payload(f, project)), env, args -> {
                            try {
                                flush.run(args.subList(1, args.size()), demoIo); // args name the command first
                            } catch (Exception e) {
                                throw new IOException(e);
                            }
                        });
            }
            List<JsonNode> traces = receiver.traces();
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < traces.size(); i++) {
                JsonNode t = traces.get(i);
                io.out.println();
                io.out.println("=== Trace " + (i + 1) + " of " + traces.size() + " as the API received it ===");
                io.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(t));
            }
            io.out.println();
            io.out.println(traces.size() + " trace(s) delivered to the local receiver at " + receiver.baseUrl() + ":");
            for (JsonNode t : traces) {
                io.out.println("  - \"" + t.path("name").asText() + "\": " + t.path("steps").size() + " steps, "
                        + t.path("errors").size() + " errors, " + t.path("llm_usage").path("total_tokens").asLong()
                        + " tokens in " + t.path("llm_usage").path("api_calls_count").asInt() + " API calls");
            }
            io.out.println("Next: `infinium init` in your project to trace your own Claude Code sessions.");
            return traces.isEmpty() ? FAILED : OK;
        } finally {
            try {
                FileTrees.delete(tmp);
            } catch (IOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }
}
