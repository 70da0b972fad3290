package ai.infinium.connector.agent.qwen;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage read from a real Qwen Code 0.24.4 chat transcript, and what must not be counted. */
class QwenChatUsageTest {
    static final String SESSION = "ff977618-b6e4-4f92-aaff-fa493eb320b9";
    static final String TURN = SESSION + "########0";
    @TempDir Path tmp;

    Path chats() throws IOException {
        Path file = tmp.resolve(SESSION + ".jsonl");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/qwen-code-0.24.4/01-main/projects/"
                + "-tmp-harness-qwen-proj/chats/" + SESSION + ".jsonl")) {
            Files.copy(in, file);
        }
        return file;
    }

    static List<AgentEvent> events(Path chats) {
        return List.of(AgentEvent.of(EventKind.PROMPT, 1, "2026-12-01T07:29:42.789Z", 0).session(SESSION).turn(TURN)
                .tag("transcript_path", chats.toString()).build());
    }

    @Test
    void eachAssistantLineIsOneCallOfTheTurnItsTelemetryNames() throws IOException {
        Path chats = chats();
        List<ApiCall> calls = new QwenChatUsage().calls(events(chats));
        assertThat(calls).extracting(ApiCall::promptTokens).containsExactly(19684L, 19810L, 19940L, 20038L);
        assertThat(calls).extracting(ApiCall::completionTokens).containsExactly(119L, 73L, 63L, 65L);
        assertThat(calls).allSatisfy(c -> {
            assertThat(c.turnId()).isEqualTo(TURN);
            assertThat(c.model()).isEqualTo("fake-model");
            assertThat(c.provider()).isEqualTo("openai");
        });
        assertThat(calls.stream().map(ApiCall::key).distinct()).as("keys are the lines' uuids").hasSize(4);
        assertThat(calls.stream().mapToLong(c -> c.details().get("cached_input_tokens")).sum()).isEqualTo(59603);
    }

    /** The background memory extraction logs an api_response under a prompt id of its own: no call of any turn. */
    @Test
    void theMemoryExtractionIsNotCounted() throws IOException {
        Path chats = chats();
        Files.writeString(chats, """
                {"uuid":"m1","sessionId":"%1$s","type":"system","subtype":"ui_telemetry","systemPayload":{"uiEvent":{"event.name":"qwen-code.api_response","prompt_id":"%1$s#managed-auto-memory-extractor-82c387e6#0","input_token_count":2006,"output_token_count":106,"auth_type":"openai"}}}
                {"uuid":"m2","sessionId":"%1$s","type":"assistant","model":"fake-model","message":{"role":"model","parts":[{"text":"noted"}]},"usageMetadata":{"promptTokenCount":2006,"candidatesTokenCount":106}}
                """.formatted(SESSION), StandardOpenOption.APPEND);
        assertThat(new QwenChatUsage().calls(events(chats))).hasSize(4).extracting(ApiCall::key).doesNotContain("m2");
    }

    @Test
    void aLineTheAgentIsStillWritingIsSkippedNotFatal() throws IOException {
        Path chats = chats();
        Files.writeString(chats, "{\"uuid\":\"half", StandardOpenOption.APPEND);
        assertThat(new QwenChatUsage().calls(events(chats))).hasSize(4);
    }

    @Test
    void theApiErrorOfATurnIsReadWithItsMessage() throws IOException {
        Path file = tmp.resolve("err.jsonl");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/qwen-code-0.24.4/03-api-error/projects/"
                + "-tmp-harness-qwen-proj/chats/bf01b4d7-a507-4bba-813d-66b7f5730d27.jsonl")) {
            Files.copy(in, file);
        }
        QwenChats c = QwenChats.read(file);
        assertThat(c.responses).isEmpty();
        assertThat(c.errors).singleElement().satisfies(e -> {
            assertThat(e.promptId()).isEqualTo("bf01b4d7-a507-4bba-813d-66b7f5730d27########0");
            assertThat(e.message()).isEqualTo("400 fake server: injected failure");
            assertThat(e.status()).isEqualTo("400");
        });
    }
}
