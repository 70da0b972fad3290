package ai.infinium.connector.agent.claude;

import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.UsageRead;
import ai.infinium.connector.io.FileCursor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** The responses one flush read from a session's transcripts, and where the next flush starts in each. */
final class TranscriptRead implements UsageRead {
    private final Map<String, ApiCall> byKey;
    private final List<TranscriptScan> scans;

    TranscriptRead(Map<String, ApiCall> byKey, List<TranscriptScan> scans) {
        this.byKey = byKey;
        this.scans = scans;
    }

    @Override
    public List<ApiCall> calls() {
        return List.copyOf(byKey.values());
    }

    /**
     * A response not counted yet pins its file's cursor at its first line, unless it can never be
     * counted: it has no prompt, or its prompt is not one of the session's and a prompt of the
     * session comes after it in the file (an earlier run's turn in a resumed transcript).
     */
    @Override
    public Map<String, FileCursor> resume(Predicate<String> counted, Predicate<String> knownTurn) {
        Map<String, FileCursor> out = new LinkedHashMap<>();
        for (TranscriptScan scan : scans) {
            long lastKnownPrompt = -1;
            for (TranscriptScan.PromptAt p : scan.prompts) {
                if (knownTurn.test(p.prompt())) {
                    lastKnownPrompt = p.offset();
                }
            }
            FileCursor cursor = null;
            for (TranscriptScan.Start s : scan.starts) {
                String turn = byKey.get(s.key()).turnId();
                if (counted.test(s.key()) || turn == null || !knownTurn.test(turn) && s.offset() < lastKnownPrompt) {
                    continue;
                }
                cursor = at(scan, s.offset(), s.prompt());
                break;
            }
            try {
                out.put(scan.path.toString(), cursor != null ? cursor : scan.endCursor());
            } catch (IOException e) {
                // no cursor: the next flush reads this file whole, which costs time, never usage
            }
        }
        return out;
    }

    /**
     * Responses read now that belong to no turn: before any prompt line the hooks reported (an
     * earlier run's, in a resumed transcript) or in a subagent transcript no hook, call or time
     * ties to a turn. No trace counts them; the log says so, per file.
     */
    @Override
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (TranscriptScan scan : scans) {
            int calls = 0;
            long prompt = 0;
            long completion = 0;
            for (TranscriptScan.Start s : scan.starts) {
                ApiCall c = byKey.get(s.key());
                if (c.turnId() == null) {
                    calls++;
                    prompt += c.promptTokens();
                    completion += c.completionTokens();
                }
            }
            if (calls > 0) {
                out.add(calls + " API responses (" + prompt + " prompt and " + completion + " completion tokens) in "
                        + scan.path + " belong to no turn of the session (no prompt line the hooks reported, no "
                        + "subagent event, call or time names one): their usage is in no trace");
            }
        }
        return out;
    }

    private static FileCursor at(TranscriptScan scan, long offset, String prompt) {
        try {
            return FileCursor.at(scan.path, offset, 0,
                    prompt == null ? Map.of() : Map.of(TranscriptScan.PROMPT, prompt));
        } catch (IOException e) {
            return FileCursor.START;
        }
    }
}
