package ai.infinium.connector.cli;

import ai.infinium.connector.config.ProjectConfig;
import ai.infinium.connector.hook.ProjectPause;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@code infinium pause|resume} (aliases stop|continue): hooks stay, recording stops or restarts. */
final class PauseCommand implements Command {
    private final String name;
    private final boolean pause;

    PauseCommand(String name, boolean pause) {
        this.name = name;
        this.pause = pause;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return pause ? "Pause tracing in this project (hooks stay installed)" : "Resume tracing in this project";
    }

    @Override
    public String help() {
        return pause
                ? "Usage: infinium " + name + "\n\nPauses tracing for this project: the hooks stay installed but record "
                        + "nothing and nothing is sent until `infinium resume`."
                : "Usage: infinium " + name + "\n\nResumes tracing for this project after `infinium pause`.";
    }

    @Override
    public int run(List<String> raw, Io io) throws Exception {
        Options.NONE.parse(raw); // no options: anything given is a usage error
        Optional<ProjectConfig> project = ProjectConfig.find(io.cwd);
        if (project.isEmpty()) {
            io.err.println("infinium " + name + ": no .infinium/config.json here or above; run `infinium init` first");
            return FAILED;
        }
        Path marker = project.get().projectDir().resolve(ProjectConfig.DIR).resolve(ProjectPause.MARKER);
        if (pause) {
            if (!Files.exists(marker)) {
                ai.infinium.connector.spool.AtomicFiles.write(marker,
                        "paused by `infinium pause`; `infinium resume` removes this file\n".getBytes(
                                java.nio.charset.StandardCharsets.UTF_8));
            }
            io.say("Tracing paused for " + project.get().projectDir() + " (hooks stay installed; `infinium resume` to continue)");
        } else {
            Files.deleteIfExists(marker);
            io.say("Tracing active for " + project.get().projectDir());
        }
        return OK;
    }
}
