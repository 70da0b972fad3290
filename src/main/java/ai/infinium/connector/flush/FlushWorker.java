package ai.infinium.connector.flush;

import ai.infinium.connector.Context;
import ai.infinium.connector.Version;
import ai.infinium.connector.agent.AgentAdapter;
import ai.infinium.connector.agent.AgentEvent;
import ai.infinium.connector.agent.Agents;
import ai.infinium.connector.agent.ApiCall;
import ai.infinium.connector.agent.EventKind;
import ai.infinium.connector.agent.UsageRead;
import ai.infinium.connector.config.ConfigException;
import ai.infinium.connector.config.ConnectorSettings;
import ai.infinium.connector.config.Credentials;
import ai.infinium.connector.config.OtlpDestination;
import ai.infinium.connector.diag.ErrorLog;
import ai.infinium.connector.export.Deliverer;
import ai.infinium.connector.export.OutboxEntry;
import ai.infinium.connector.export.QueuedTraces;
import ai.infinium.connector.redact.RedactionPolicy;
import ai.infinium.connector.redact.Redactor;
import ai.infinium.connector.spool.FileLocks;
import ai.infinium.connector.spool.PrivateFiles;
import ai.infinium.connector.spool.SessionFiles;
import ai.infinium.connector.spool.SessionState;
import ai.infinium.connector.trace.Granularity;
import ai.infinium.connector.trace.SessionFacts;
import ai.infinium.connector.trace.Trace;
import ai.infinium.connector.trace.TraceBuilder;
import ai.infinium.connector.trace.TracePlanner;
import ai.infinium.connector.trace.TraceUnit;
import ai.infinium.connector.trace.Turn;
import ai.infinium.connector.trace.TurnAssembler;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The flush: under the session's lock, replay the spool, plan the traces not yet queued, build
 * them and put them in the outbox, record that in the session state; then, outside the lock,
 * deliver whatever the outbox holds that is due.
 */
public final class FlushWorker {
    /** How long a worker waits for another worker of the same session (which may be sending). */
    static final Duration LOCK_WAIT = Duration.ofMinutes(5);
    static final Duration TRANSCRIPT_WAIT = Duration.ofSeconds(3);
    static final Duration SESSION_END_GRACE = Duration.ofSeconds(2);

    private final Context ctx;
    private final ErrorLog log;

    public FlushWorker(Context ctx) {
        this.ctx = ctx;
        this.log = ctx.log();
    }

    /** Queues the session's finished turns and delivers what is due. Returns the keys queued now. */
    public List<String> flushSession(SessionFiles files, FlushReason reason) throws IOException {
        List<String> queued = queue(files, reason);
        deliverDue();
        return queued;
    }

    public Deliverer.Summary deliverDue() throws IOException {
        return ctx.deliverer().deliver(e -> true, false, null);
    }

    /** Queues traces for a session without sending (the lock-protected half of a flush). */
    public List<String> queue(SessionFiles files, FlushReason reason) throws IOException {
        return queueOrHold(files, reason).keys();
    }

    /**
     * What a flush queued, and whether the session must wait: a project config the flush cannot
     * apply holds its traces in the spool, past the TTL, until the user fixes it.
     */
    private record Queued(List<String> keys, boolean held) {
        static final Queued NOTHING = new Queued(List.of(), false);
        static final Queued HELD = new Queued(List.of(), true);
    }

    private Queued queueOrHold(SessionFiles files, FlushReason reason) throws IOException {
        AgentAdapter adapter = Agents.byName(files.agent()).orElse(null);
        if (adapter == null) {
            log.error("flush: no adapter for agent '" + files.agent() + "'; " + files.spool() + " left as it is");
            return Queued.HELD;
        }
        try (FileLocks.Held lock = FileLocks.acquire(files.lock(), LOCK_WAIT)) {
            if (lock == null) {
                log.error("flush: " + files.spool() + " stayed locked for " + LOCK_WAIT + "; the next flush will pick it up");
                return Queued.HELD;
            }
            return queueLocked(adapter, files, reason);
        }
    }

    /**
     * The session's state file was damaged: the outbox and history tell which of its traces were
     * queued or sent; those turns' events count as consumed, so they are not sent again, and later
     * turns go out as usual.
     */
    private void adoptSent(AgentAdapter adapter, SessionFiles files, String sessionId, List<Turn> turns,
            TracePlanner planner, SessionState state) throws IOException {
        Set<String> known = new LinkedHashSet<>();
        for (ai.infinium.connector.export.OutboxEntry e : ctx.outbox().list()) {
            if (adapter.name().equals(e.agent()) && sessionId.equals(e.sessionId())) {
                known.add(e.key());
            }
        }
        for (ai.infinium.connector.export.HistoryEntry h : ctx.history().all()) {
            if (adapter.name().equals(h.agent()) && sessionId.equals(h.sessionId())) {
                known.add(h.key());
            }
        }
        for (Turn t : turns) {
            String key = planner.keyOf(sessionId, t);
            if (known.contains(key)) {
                List<Integer> lines = new ArrayList<>();
                t.events().forEach(e -> lines.add(e.line()));
                state.adoptSent(key, lines);
            }
        }
        log.error("flush: " + files.state() + " was damaged; moved aside to " + files.state().getFileName()
                + ".damaged and rebuilt from the outbox and history (" + known.size() + " trace(s) already queued or sent)");
    }

    private Queued queueLocked(AgentAdapter adapter, SessionFiles files, FlushReason reason) throws IOException {
        SessionState state = SessionState.load(files.state());
        SessionReplay replay = SessionReplay.read(adapter, files.spool(), state.spoolResume());
        if (replay.damagedLines() > 0) {
            log.error("flush: " + replay.damagedLines() + " damaged line(s) in " + files.spool()
                    + " skipped (invalid UTF-8 or not an event; each lost only itself)");
        }
        if (reason != FlushReason.MANUAL) {
            replay = recover(adapter, files, replay, reason != FlushReason.TURN_END, state.usageCursors());
        }
        if (reason == FlushReason.SESSION_END) {
            replay = awaitLastTurnEnd(adapter, files, replay);
        }
        List<AgentEvent> events = replay.all();
        if (events.isEmpty()) {
            return Queued.NOTHING;
        }
        String sessionId = sessionIdOf(events);
        String cwd = cwdOf(events);
        Credentials creds;
        try {
            creds = ctx.resolver().resolve(cwd == null ? null : Path.of(cwd));
        } catch (ConfigException | RuntimeException e) {
            log.error("flush: session " + sessionId + ": " + e.getMessage());
            return Queued.HELD;
        }
        OtlpDestination.Target otlp = null;
        if (creds.project() != null && creds.project().otlp() != null) {
            try {
                otlp = new OtlpDestination(ctx.env()).target(creds.project().otlp());
            } catch (ConfigException e) {
                log.error("flush: session " + sessionId + " not sent yet: " + e.getMessage());
                return Queued.HELD;
            }
        }
        if (creds.agentId() == null && otlp == null) {
            if (state.noteUnconfigured()) {
                log.info("flush: no Infinium agent or OTLP endpoint configured for " + cwd + " (no .infinium/config.json "
                        + "above it and no INFINIUM_AGENT_ID): session " + sessionId + " not traced");
                state.save(files.state());
            }
            return Queued.NOTHING;
        }
        Redactor redactor;
        try {
            redactor = RedactionPolicy.of(ctx.settings(), creds.project()).redactor(Redactor.defaults());
        } catch (ConfigException e) {
            log.error("flush: session " + sessionId + " not sent yet: " + e.getMessage());
            return Queued.HELD;
        }
        Granularity granularity = Granularity.parse(creds.granularity(), Granularity.TURN);
        boolean over = reason == FlushReason.STALE || TracePlanner.sessionEnded(events);
        TurnAssembler assembler = replay.assembler();
        List<Turn> turns = assembler.turns();
        TracePlanner planner = new TracePlanner(adapter.name(), granularity);
        if (state.rebuilt()) {
            adoptSent(adapter, files, sessionId, turns, planner, state);
        }
        List<TraceUnit> units = planner.planFor(sessionId, turns, events, state, over);
        List<String> keys = units.isEmpty() ? List.of()
                : queueUnits(adapter, units, events, assembler, state, sessionId, creds, otlp, redactor);
        if (adapter.normalizesAlone()) {
            state.resumeSpoolAt(SpoolCheckpoint.after(replay, turns, planner, sessionId, state, files.spool()));
        }
        state.save(files.state());
        return new Queued(keys, false);
    }

    private List<String> queueUnits(AgentAdapter adapter, List<TraceUnit> units, List<AgentEvent> events,
            TurnAssembler assembler, SessionState state, String sessionId, Credentials creds, OtlpDestination.Target otlp,
            Redactor redactor) throws IOException {
        UsageRead usage = adapter.usage().read(events, assembler::turnOf, state.usageCursors(),
                lastTurnEnd(units.get(units.size() - 1)), TRANSCRIPT_WAIT);
        for (String problem : usage.problems()) {
            log.info("flush: session " + sessionId + ": " + problem);
        }
        PendingCalls pending = new PendingCalls(usage.calls(), state);
        ConnectorSettings settings = ctx.settings();
        TraceBuilder builder = new TraceBuilder(
                new TraceBuilder.AgentInfo(adapter.name(), adapter.framework(), adapter.displayName(), adapter.usage().provider(),
                        Version.get()),
                settings.maxInputPreview(adapter.defaultInputPreview()), settings.maxOutputPreview(),
                gitHeadsOnce(), redactor);
        SessionFacts facts = SessionFacts.of(events);
        List<String> keys = new ArrayList<>();
        for (TraceUnit unit : units) {
            List<ApiCall> eligible = pending.take(unit.usageTurnIds());
            Trace trace = builder.build(unit, facts.orModel(state.lastModel()), eligible);
            if (!eligible.isEmpty()) {
                state.noteModel(eligible.get(eligible.size() - 1).model());
            }
            String projectDir = creds.project() == null ? null : creds.project().projectDir().toString();
            OutboxEntry.About about = new OutboxEntry.About(unit.key(), adapter.name(), sessionId,
                    Instant.ofEpochMilli(ctx.clock().getAsLong()).toString(), projectDir, trace.name(),
                    trace.steps().size(), trace.duration() == null ? 0 : trace.duration());
            com.fasterxml.jackson.databind.JsonNode queued = QueuedTraces.tree(trace);
            // one entry per exporter, each delivered and retried on its own
            if (creds.agentId() != null) {
                ctx.outbox().enqueue(OutboxEntry.forInfinium(about, creds.agentId(), creds.baseUrl(), queued));
            }
            if (otlp != null) {
                ctx.outbox().enqueue(OutboxEntry.forOtlp(about, otlp.endpoint(), otlp.protocol(), otlp.content(), queued));
            }
            Set<Integer> lines = new LinkedHashSet<>();
            unit.stepEvents().forEach(e -> lines.add(e.line()));
            for (Turn t : unit.turns()) {
                t.events().forEach(e -> lines.add(e.line()));
            }
            state.recordTrace(unit.key(), lines, eligible.stream().map(ApiCall::key).toList());
            keys.add(unit.key());
        }
        state.resumeUsageAt(usage.resume(state::isCounted, assembler::knows));
        return keys;
    }

    /** Git facts per working directory, read once per flush: hundreds of traces, one project. */
    private static java.util.function.Function<String, java.util.Optional<ai.infinium.connector.project.GitHead>> gitHeadsOnce() {
        java.util.Map<String, java.util.Optional<ai.infinium.connector.project.GitHead>> seen = new java.util.HashMap<>();
        return cwd -> seen.computeIfAbsent(cwd, d -> {
            try {
                return ai.infinium.connector.project.GitHead.of(Path.of(d));
            } catch (java.nio.file.InvalidPathException notAPath) {
                return java.util.Optional.empty(); // a cwd no path can be: no git facts, the trace still goes
            }
        });
    }

    /**
     * Hook events lost on the way (a server down mid-turn) are rebuilt once and kept in the spool.
     * They are appended after everything the cursor covers, so the cursor stays valid, and the
     * same cursor read again picks them up with the delivered events of their turns.
     */
    private SessionReplay recover(AgentAdapter adapter, SessionFiles files, SessionReplay replay, boolean sessionOver,
            java.util.Map<String, ai.infinium.connector.io.FileCursor> cursors) throws IOException {
        List<byte[]> recovered;
        try {
            recovered = adapter.recover(replay.context, replay.fresh, sessionOver, cursors);
        } catch (RuntimeException e) {
            log.error("flush: recovering lost hook events of " + files.spool() + " failed, sending what arrived: " + e);
            return replay;
        }
        if (recovered.isEmpty()) {
            return replay;
        }
        for (byte[] line : recovered) {
            PrivateFiles.append(files.spool(), line);
        }
        log.info("flush: " + recovered.size() + " hook events of " + files.spool() + " read from the transcript");
        return replay.reread(adapter, files.spool());
    }

    /**
     * Flushes every session silent for longer than the TTL as if it had ended, then removes its
     * files (its traces are in the outbox by then, delivered or not).
     */
    public int flushStale() throws IOException {
        int flushed = queueStale();
        deliverDue();
        return flushed;
    }

    /** The queueing half of {@link #flushStale}: the server delivers on a thread of its own. */
    public int queueStale() throws IOException {
        long ttlMillis = ctx.settings().sessionTtlSeconds() * 1000;
        long now = ctx.clock().getAsLong();
        int flushed = 0;
        Path root = ctx.dirs().sessions();
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (DirectoryStream<Path> agents = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path agentDir : agents) {
                try (DirectoryStream<Path> spools = Files.newDirectoryStream(agentDir, "*.jsonl")) {
                    for (Path spool : spools) {
                        if (spool.getFileName().toString().equals("malformed.jsonl")
                                || now - Files.getLastModifiedTime(spool).toMillis() < ttlMillis) {
                            continue;
                        }
                        SessionFiles files = new SessionFiles(spool);
                        if (queueOrHold(files, FlushReason.STALE).held()) {
                            continue; // its files stay until the flush can send them
                        }
                        try (FileLocks.Held lock = FileLocks.acquire(files.lock(), Duration.ofSeconds(5))) {
                            if (lock != null && now - Files.getLastModifiedTime(spool).toMillis() >= ttlMillis) {
                                Files.deleteIfExists(files.spool());
                                Files.deleteIfExists(files.state());
                                // only while held: a lock file deleted under another holder would let a
                                // third process lock a new file of the same name beside it
                                Files.deleteIfExists(ai.infinium.connector.spool.PrivateFiles.appendLockOf(files.spool()));
                                Files.deleteIfExists(files.lock());
                            }
                        }
                        flushed++;
                    }
                }
            }
        }
        return flushed;
    }

    /**
     * An agent exiting after an API error fires StopFailure and SessionEnd at the same moment, in
     * either order. Give the turn's own end a moment to land so the turn goes out as one trace
     * with its error, rather than a trace now and the error in a second one.
     */
    private SessionReplay awaitLastTurnEnd(AgentAdapter adapter, SessionFiles files, SessionReplay replay)
            throws IOException {
        long deadline = System.nanoTime() + SESSION_END_GRACE.toNanos();
        SessionReplay current = replay;
        while (true) {
            List<Turn> turns = current.assembler().turns();
            if (turns.isEmpty() || turns.get(turns.size() - 1).ended() || System.nanoTime() > deadline) {
                return current;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return current;
            }
            current = current.reread(adapter, files.spool());
        }
    }

    private static AgentEvent lastTurnEnd(TraceUnit unit) {
        AgentEvent end = null;
        for (Turn t : unit.turns()) {
            for (AgentEvent e : t.events()) {
                if (e.kind() == EventKind.TURN_END) {
                    end = e;
                }
            }
        }
        return end;
    }

    private static String sessionIdOf(List<AgentEvent> events) {
        for (AgentEvent e : events) {
            if (e.sessionId() != null) {
                return e.sessionId();
            }
        }
        return "unknown-session";
    }

    private static String cwdOf(List<AgentEvent> events) {
        for (AgentEvent e : events) {
            if (e.kind() == EventKind.SESSION_START && e.cwd() != null) {
                return e.cwd();
            }
        }
        for (AgentEvent e : events) {
            if (e.cwd() != null) {
                return e.cwd();
            }
        }
        return null;
    }
}
