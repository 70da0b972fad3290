package ai.infinium.connector.agent.claude;

import java.nio.file.Path;

/**
 * A subagent as its own transcript ({@code subagents/agent-<id>.jsonl}) records it.
 *
 * @param spawnedBy the {@code tool_use_id} of the Agent (Task) call that started it, when known
 * @param turnId the {@code promptId} its lines carry: the turn that started it
 * @param startedAt when its first line (its prompt) was written
 * @param answered whether a model response is in its transcript yet: Claude Code runs the
 *     SubagentStart hooks before the subagent's first request
 * @param finalMessage its last answer, once its last response ended its turn; null while it runs
 */
record TranscriptSubagent(String agentId, String agentType, String spawnedBy, String turnId, String startedAt,
        String cwd, boolean answered, String finalMessage, String finishedAt, String effort, Path transcript) {

    boolean finished() {
        return finalMessage != null;
    }
}
