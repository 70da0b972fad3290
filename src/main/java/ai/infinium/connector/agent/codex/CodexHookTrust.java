package ai.infinium.connector.agent.codex;

import java.nio.file.Path;
import java.util.List;

/** Whether Codex has recorded our hooks as trusted (the user's review in {@code /hooks}). */
final class CodexHookTrust {
    private CodexHookTrust() {}

    static String describe(Path configToml, Path hooksFile, List<String> ourCommands) {
        if (ourCommands.isEmpty()) {
            return "hooks not installed";
        }
        return "hook trust: review and trust the hooks in Codex with /hooks";
    }
}
