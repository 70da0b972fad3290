package ai.infinium.connector.agent;

import static org.assertj.core.api.Assertions.assertThat;

import ai.infinium.connector.hook.FlushTrigger;

import ai.infinium.connector.spool.SpooledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every agent's adapter owes the rest of the connector, checked for each one: its event
 * table is the one its installer installs, its hook profile starts the flush its table says,
 * every event that ends a turn or a session starts one, and each event normalises to its kind.
 */
class AdapterContractTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path tmp;

    static Stream<AgentAdapter> agents() {
        return Agents.all().stream();
    }

    @ParameterizedTest
    @MethodSource("agents")
    void theInstallerInstallsExactlyTheTable(AgentAdapter a) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("p-" + a.name()));
        Map<String, String> env = Map.of("HOME", tmp.resolve("home").toString(),
                "CODEX_HOME", tmp.resolve("codex-home").toString());
        HookInstaller installer = a.installer(project, env, tmp.resolve("home"));
        installer.prepare("/opt/infinium/bin/infinium hook --agent " + a.name(), new HookInstaller.InstallOptions(true))
                .edits().write();
        JsonNode hooks = JSON.readTree(installer.hooksFile().toFile()).path("hooks");
        Set<String> installed = new HashSet<>();
        hooks.fieldNames().forEachRemaining(installed::add);
        assertThat(installed).as("command mode hooks every row")
                .containsExactlyInAnyOrderElementsOf(a.events().stream().map(HookEvent::hookName).toList());
        assertThat(installer.expectedEvents()).isEqualTo(a.events().size());
    }

    @ParameterizedTest
    @MethodSource("agents")
    void eachEventStartsTheFlushItsRowSays(AgentAdapter a) {
        for (HookEvent e : a.events()) {
            assertThat(Agents.profile(a.name()).triggerFor(e.hookName())).as(e.hookName()).isEqualTo(e.trigger());
            if (e.kind() == EventKind.TURN_END || e.kind() == EventKind.TURN_FAILURE) {
                assertThat(e.trigger()).as(e.hookName() + " ends a turn: it must start the flush")
                        .isEqualTo(FlushTrigger.TURN_END);
            }
            if (e.kind() == EventKind.SESSION_END) {
                assertThat(e.trigger()).as(e.hookName()).isEqualTo(FlushTrigger.SESSION_END);
            }
            if (e.trigger() != FlushTrigger.NONE) {
                assertThat(e.kind()).as(e.hookName() + " starts a flush: it must end something")
                        .isIn(EventKind.TURN_END, EventKind.TURN_FAILURE, EventKind.SESSION_END);
            }
        }
        assertThat(Agents.profile(a.name()).triggerFor("SomethingNew")).isEqualTo(FlushTrigger.NONE);
    }

    @ParameterizedTest
    @MethodSource("agents")
    void eachEventNormalisesToItsKind(AgentAdapter a) throws Exception {
        List<SpooledEvent> spooled = new java.util.ArrayList<>();
        int line = 0;
        for (HookEvent e : a.events()) {
            ObjectNode n = JSON.createObjectNode().put("session_id", "s-1").put("hook_event_name", e.hookName())
                    .put("prompt_id", "p-1").put("turn_id", "p-1").put("cwd", tmp.toString());
            line++;
            spooled.add(new SpooledEvent(line, "2026-11-21T10:00:0" + (line % 10) + ".000Z", 1_795_000_000_000L + line, n));
        }
        ObjectNode unknown = JSON.createObjectNode().put("session_id", "s-1").put("hook_event_name", "SomethingNew");
        spooled.add(new SpooledEvent(line + 1, "2026-11-21T10:00:09.000Z", 1_795_000_000_100L, unknown));
        Map<Integer, EventKind> kindByLine = new java.util.HashMap<>();
        for (AgentEvent ev : a.normalize(spooled)) {
            kindByLine.put(ev.line(), ev.kind());
        }
        for (int i = 0; i < a.events().size(); i++) {
            HookEvent e = a.events().get(i);
            assertThat(kindByLine.get(i + 1)).as(e.hookName()).isEqualTo(e.kind());
        }
        assertThat(kindByLine.get(a.events().size() + 1)).as("an event not in the table").isEqualTo(EventKind.OTHER);
    }
}
