"""The measuring half of bench/server-bench.sh (run by it; not on its own).

Three parts, each printing a Markdown section on stdout, progress on stderr:

  roundtrip  one hook event, alternating round by round (rotating order) between
               http-keepalive  POST /hook/claude-code over one kept-alive connection (as Claude Code's
                               "http" hooks reach the server)
               http-new        the same POST over a new connection each time
               forwarded       `bin/infinium hook --agent codex` with the server running: the launcher
                               forwards stdin with curl (bash /dev/tcp, else curl; no JVM)
               jvm             the same command with INFINIUM_NO_FORWARD=1: the JVM hook
               python          the Python floor of hook-bench.sh (json.load + append)
               cat             the spawn floor, sh -c 'cat >> f'
  latency    TURNS turns (UserPromptSubmit, the transcript's 12 tool calls, then Stop; with TOOL_HOOKS=1
             also 12 Pre/PostToolUse pairs) in sessions of
             TURNS_PER_SESSION turns; time from sending Stop to the trace's acceptance by the fake
             Infinium API (its own timestamp, same wall clock)
  load       SESSIONS sessions of EVENTS events each (prompt, Pre/PostToolUse pairs, Stop), posted
             concurrently, one thread and one kept-alive connection per session; throughput,
             request latency, then zero loss: every spool holds exactly its lines in order, every
             session's trace arrives once with all its tool steps

Timing: time.perf_counter_ns around each request (from sending to the whole response read) or
around subprocess.run (spawn to exit); wall-clock time.time_ns for Stop -> delivered, compared
with the fake's Instant.now(). Percentiles are nearest-rank, as in hook-bench.sh.
"""

import argparse
import http.client
import json
import math
import os
import subprocess
import sys
import threading
import time
import uuid

TOOL_CALLS = 12
# TOOL_HOOKS=1: the latency turns also post PreToolUse/PostToolUse (command mode's events; the load
# run always does). Default: server mode as `init` installs it, no hook on a tool call's start or result.
TOOL_HOOKS = os.environ.get("TOOL_HOOKS", "0") == "1"


def log(msg):
    print("server-bench: " + msg, file=sys.stderr, flush=True)


def pct(values, q):
    if not values:
        return float("nan")
    v = sorted(values)
    rank = max(1, min(len(v), math.ceil(q * len(v) - 1e-9)))
    return v[rank - 1]


def ms(ns):
    return ns / 1e6


class Env:
    def __init__(self, a):
        self.a = a
        self.port = a.port
        self.token = open(a.token_file).read().strip()
        self.headers = {"Authorization": "Bearer " + self.token, "Content-Type": "application/json"}
        self.project = a.project
        self.transcripts = os.path.join(a.work, "transcripts")
        os.makedirs(self.transcripts, exist_ok=True)

    def conn(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def status(self):
        c = self.conn()
        try:
            c.request("GET", "/status", headers={"Authorization": "Bearer " + self.token})
            r = c.getresponse()
            return json.loads(r.read()) if r.status == 200 else None
        finally:
            c.close()

    def post(self, c, body, agent="claude-code"):
        """POSTs one event; returns (status, ns). Reconnects once if a kept-alive connection was closed."""
        t = time.perf_counter_ns()
        try:
            c.request("POST", "/hook/" + agent, body=body, headers=self.headers)
            r = c.getresponse()
            r.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            c.close()
            Env.reconnects += 1
            t = time.perf_counter_ns()
            c.request("POST", "/hook/" + agent, body=body, headers=self.headers)
            r = c.getresponse()
            r.read()
        return r.status, time.perf_counter_ns() - t

    reconnects = 0

    # ------------------------------------------------------------ Claude Code 2.1.330 shaped events

    def transcript(self, sid):
        return os.path.join(self.transcripts, sid + ".jsonl")

    def base(self, sid, name, prompt_id=None):
        d = {"session_id": sid, "transcript_path": self.transcript(sid), "cwd": self.project}
        if prompt_id:
            d["prompt_id"] = prompt_id
            d["permission_mode"] = "bypassPermissions"
            d["effort"] = {"level": "medium"}
        d["hook_event_name"] = name
        return d

    def session_start(self, sid):
        d = self.base(sid, "SessionStart")
        d["source"] = "startup"
        return d

    def prompt(self, sid, pid, text):
        d = self.base(sid, "UserPromptSubmit", pid)
        del d["effort"]
        d["prompt"] = text
        return d

    def pre(self, sid, pid, n, tool_id):
        d = self.base(sid, "PreToolUse", pid)
        d.update({"tool_name": "Bash", "tool_input": {"command": "echo %d" % n, "description": "Print %d" % n},
                  "tool_use_id": tool_id})
        return d

    def post_tool(self, sid, pid, n, tool_id):
        d = self.pre(sid, pid, n, tool_id)
        d["hook_event_name"] = "PostToolUse"
        d["tool_response"] = {"stdout": str(n), "stderr": "", "interrupted": False, "isImage": False,
                              "noOutputExpected": False}
        d["duration_ms"] = 5
        return d

    def stop(self, sid, pid, final):
        d = self.base(sid, "Stop", pid)
        d.update({"stop_hook_active": False, "last_assistant_message": final, "background_tasks": [],
                  "session_crons": []})
        return d

    def session_end(self, sid, pid):
        d = self.base(sid, "SessionEnd", pid)
        del d["permission_mode"], d["effort"]
        d["reason"] = "other"
        return d

    def write_turn_transcript(self, sid, pid, prompt_text, final, calls, ids=None):
        """What Claude Code has written by Stop (the flush waits up to 3 s for the final text)."""
        def now():
            return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".%03dZ" % (time.time_ns() // 1000000 % 1000)
        lines = [{"type": "user", "promptId": pid, "sessionId": sid, "uuid": str(uuid.uuid4()), "timestamp": now(),
                  "message": {"role": "user", "content": prompt_text}}]
        for i in range(calls + 1):
            content = ([{"type": "text", "text": final}] if i == calls else
                       [{"type": "tool_use", "id": ids[i] if ids else "t%d" % i, "name": "Bash", "input": {"command": "echo %d" % (i + 1)}}])
            lines.append({"type": "assistant", "sessionId": sid, "uuid": str(uuid.uuid4()), "timestamp": now(),
                          "requestId": "req_" + uuid.uuid4().hex[:20],
                          "message": {"id": "msg_" + uuid.uuid4().hex[:20], "type": "message", "role": "assistant",
                                      "model": "claude-fake", "content": content,
                                      "usage": {"input_tokens": 100, "cache_creation_input_tokens": 0,
                                                "cache_read_input_tokens": 1000, "output_tokens": 10}}})
            if i < calls:  # as Claude Code writes it: each call's result before the next request
                lines.append({"type": "user", "promptId": pid, "sessionId": sid, "uuid": str(uuid.uuid4()),
                              "timestamp": now(), "message": {"role": "user", "content": [
                                  {"type": "tool_result", "tool_use_id": ids[i] if ids else "t%d" % i,
                                   "content": str(i + 1)}]},
                              "toolUseResult": {"stdout": str(i + 1), "stderr": "", "interrupted": False}})
        with open(self.transcript(sid), "a") as f:
            for line in lines:
                f.write(json.dumps(line) + "\n")


def enc(d):
    return json.dumps(d, separators=(",", ":")).encode()


class TraceLog:
    """Reads the lines TraceLogApi appends: one per accepted trace, plus count lines."""

    def __init__(self, path):
        self.path = path
        self.pos = 0
        self.traces = []
        self.counts = {"requests": 0, "replays": 0, "rejected": 0}
        self.buf = b""

    def poll(self):
        try:
            with open(self.path, "rb") as f:
                f.seek(self.pos)
                data = f.read()
        except FileNotFoundError:
            return
        self.pos += len(data)
        self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        for line in lines:
            if not line.strip():
                continue
            d = json.loads(line)
            if "received_at_us" in d:
                self.traces.append(d)
            else:
                self.counts = d

    def for_session(self, sid):
        return [t for t in self.traces if t["session_id"] == sid]

    def await_count(self, sid, n, timeout_s):
        deadline = time.monotonic() + timeout_s
        while True:
            self.poll()
            got = self.for_session(sid)
            if len(got) >= n:
                return got
            if time.monotonic() > deadline:
                return got
            time.sleep(0.002)


def check_trace(t, calls):
    tools = [a for a in t["actions"] if a == "tool_use"]
    if len(tools) != calls:
        return "%d tool_use steps, expected %d" % (len(tools), calls)
    if t["actions"][0] != "user_prompt" or t["actions"][-1] != "assistant_response":
        return "steps " + ",".join(t["actions"])
    for i in range(calls):
        if t["tool_inputs"][i] != "echo %d" % (i + 1) or t["tool_outputs"][i] != str(i + 1):
            return "tool step %d is %r -> %r" % (i + 1, t["tool_inputs"][i], t["tool_outputs"][i])
    return "ok"


def spool_lines(a, agent, sid):
    p = os.path.join(a.sessions, agent, sid + ".jsonl")
    try:
        with open(p, "rb") as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


# ================================================================ part 1: one event's round trip

def roundtrip(a, env):
    runs, warmup = a.runs, a.warmup
    names = ["http-keepalive", "http-new", "forwarded", "jvm", "python", "cat"]
    node = None
    if a.node:
        names.insert(1, "http-node")
    work = a.work
    claude_payload = json.load(open(a.claude_payload))
    codex_payload = json.load(open(a.codex_payload))
    bodies, files = {}, {}
    for n in names:
        p = dict(codex_payload if n in ("forwarded", "jvm") else claude_payload)
        p["session_id"] = "bench-rt-" + n
        p["cwd"] = a.project
        bodies[n] = enc(p)
        files[n] = os.path.join(work, "payload-" + n + ".json")
        with open(files[n], "wb") as f:
            f.write(bodies[n])
    py_code = 'import json,sys; d=json.load(sys.stdin); open(sys.argv[1],"a").write(json.dumps(d)+"\\n")'
    commands = {
        "forwarded": [a.launcher, "hook", "--agent", "codex"],
        "jvm": [a.launcher, "hook", "--agent", "codex"],
        "python": [a.python, "-c", py_code, os.path.join(work, "python.jsonl")],
        "cat": ["sh", "-c", 'cat >> "$1"', "sh", os.path.join(work, "cat.jsonl")],
    }
    jvm_env = dict(os.environ, INFINIUM_NO_FORWARD="1")
    keep = env.conn()
    if a.node:
        node = subprocess.Popen([a.node, os.path.join(os.path.dirname(os.path.abspath(__file__)), "node-post.js"),
                                 str(env.port), a.token_file, files["http-node"]],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    times = {n: [] for n in names}
    bad = {n: 0 for n in names}
    out_bytes = {n: 0 for n in names}
    out = {n: open(os.path.join(work, "out." + n), "ab") for n in commands}
    err = {n: open(os.path.join(work, "err." + n), "ab") for n in commands}

    def one(n):
        if n == "http-node":
            node.stdin.write("\n")
            node.stdin.flush()
            took, status = node.stdout.readline().split()
            return int(float(took) * 1e6), status != "200"
        if n == "http-keepalive":
            status, ns = env.post(keep, bodies[n])
            return ns, status != 200
        if n == "http-new":
            t = time.perf_counter_ns()
            c = env.conn()
            c.request("POST", "/hook/claude-code", body=bodies[n], headers=env.headers)
            r = c.getresponse()
            r.read()
            c.close()
            return time.perf_counter_ns() - t, r.status != 200
        with open(files[n], "rb") as f:
            t = time.perf_counter_ns()
            r = subprocess.run(commands[n], stdin=f, stdout=out[n], stderr=err[n],
                               env=jvm_env if n == "jvm" else None)
            return time.perf_counter_ns() - t, r.returncode != 0

    # The server is long-lived: its steady state has seen many events (JIT-compiled intake).
    prewarm = a.prewarm
    for i in range(prewarm):
        env.post(keep, bodies["http-keepalive"])
    before = env.status()["events_received"]
    total = warmup + runs
    for i in range(total):
        order = names[i % len(names):] + names[:i % len(names)]
        for n in order:
            ns, failed = one(n)
            if i >= warmup:
                times[n].append(ns)
                bad[n] += failed
        if (i + 1) % 20 == 0:
            log("round trip: %d/%d rounds" % (i + 1, total))
    # Claude Code's hooks come tens of ms apart in a tool loop, not one per ~0.2 s as in the loop above
    # (after a pause, Linux ACKs at once; at a tool loop's pace it delays ACKs, which is when a server
    # that writes a response in two small segments waits ~40 ms for the ACK: Nagle).
    burst = []
    if node:
        for i in range(a.bursts):
            node.stdin.write("burst %d %d\n" % (a.burst_len, a.burst_gap))
            node.stdin.flush()
            parts = node.stdout.readline().split()
            for took, status in zip(parts[0::2], parts[1::2]):
                burst.append(float(took))
                bad["http-node"] += status != "200"
    after = env.status()["events_received"]
    keep.close()
    if node:
        node.stdin.close()
        node.wait(10)
    for f in list(out.values()) + list(err.values()):
        f.close()
    for n in commands:
        out_bytes[n] = (os.path.getsize(os.path.join(work, "out." + n)), os.path.getsize(os.path.join(work, "err." + n)))

    # checks
    to_server = [n for n in names if n.startswith("http") or n == "forwarded"]
    expected_server = total * len(to_server) + len(burst)  # (the prewarm posts are counted before)
    spool = {n: len(spool_lines(a, "claude-code" if n.startswith("http") else "codex", "bench-rt-" + n))
             for n in to_server + ["jvm"]}
    expect_spool = {n: total + (prewarm if n == "http-keepalive" else 0) + (len(burst) if n == "http-node" else 0)
                    for n in spool}
    problems = []
    if after - before != expected_server:
        problems.append("the server received %d events during the loop, expected %d (a forwarded hook that fell "
                        "back to the JVM?)" % (after - before, expected_server))
    for n in spool:
        if spool[n] != expect_spool[n]:
            problems.append("%s: %d spool lines, expected %d" % (n, spool[n], expect_spool[n]))
    for n in names:
        if bad[n]:
            problems.append("%s: %d failed runs (non-zero exit or non-200)" % (n, bad[n]))
    for n in ("forwarded", "jvm"):
        if out_bytes[n] != (0, 0):
            problems.append("%s: printed %d bytes on stdout, %d on stderr" % ((n,) + out_bytes[n]))

    label = {
        "http-keepalive": "HTTP POST, kept-alive connection (Python `http.client`)",
        "http-new": "HTTP POST, new connection each time (Python `http.client`)",
        "http-node": "HTTP POST, kept-alive, Node `http` (the client stack under Claude Code's axios)",
        "forwarded": "`bin/infinium hook --agent codex`, server running (bash /dev/tcp forwarder)",
        "jvm": "`bin/infinium hook --agent codex`, `INFINIUM_NO_FORWARD=1` (JVM hook)",
        "python": "`python3 -c` json.load + append (Python floor)",
        "cat": "`sh -c 'cat >> f'` (spawn floor)",
    }
    print("#### One event, round trip\n")
    print("- Method: %d runs per path after %d warm-up rounds (and %d untimed kept-alive posts to warm the server "
          "up first), the %d paths alternating in one loop (rotating order); HTTP: Python's `http.client`, from "
          "sending the request to the whole response read (Node: timed inside a Node co-process with "
          "`process.hrtime`, %s); commands: `subprocess.run`, spawn to exit; payloads: Claude Code 2.1.330 "
          "PreToolUse (HTTP, compact JSON, %d bytes), Codex 0.169.0 PreToolUse (commands)\n"
          % (runs, warmup, prewarm, len(names), a.node_version or "no node: skipped", len(bodies["http-keepalive"])))
    print("| Path | p50 (ms) | p95 (ms) | min (ms) | max (ms) | mean (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    res = {}
    for n in names:
        v = [ms(x) for x in times[n]]
        res[n] = pct(v, 0.5)
        b = "**" if n in ("http-keepalive", "forwarded") else ""
        print("| %s | %s%.2f%s | %s%.2f%s | %.2f | %.2f | %.2f |" % (label[n], b, pct(v, .5), b, b, pct(v, .95), b,
                                                                    min(v), max(v), sum(v) / len(v)))
    if burst:
        print("| HTTP POST, Node `http`, kept-alive, %d bursts of %d posts %d ms apart (a tool loop's pace) | "
              "**%.2f** | **%.2f** | %.2f | %.2f | %.2f |" % (a.bursts, a.burst_len, a.burst_gap, pct(burst, .5),
                                                             pct(burst, .95), min(burst), max(burst),
                                                             sum(burst) / len(burst)))
        slow = sum(1 for x in burst if x >= 35)
        print("\n%d of %d paced Node posts took ≥ 35 ms." % (slow, len(burst)))
        if slow * 10 > len(burst):  # a pattern, not a hiccup of a loaded machine
            problems.append("%d of %d paced Node posts took >= 35 ms: the ~40 ms delayed-ACK stall of a response "
                            "written in two segments (Nagle)" % (slow, len(burst)))
    print("\nRatios of p50s: kept-alive POST / cat floor %.2f×; forwarded / cat floor %.1f×; forwarded / Python "
          "floor %.2f×; JVM hook / forwarded %.1f×."
          % (res["http-keepalive"] / res["cat"], res["forwarded"] / res["cat"], res["forwarded"] / res["python"],
             res["jvm"] / res["forwarded"]))
    print("Checks: server events received during the loop %d (expected %d); spool lines %s; hook stdout/stderr "
          "bytes forwarded %s, jvm %s; reconnects of the kept-alive connection %d. %s\n"
          % (after - before, expected_server, ", ".join("%s %d/%d" % (n, spool[n], expect_spool[n]) for n in spool),
             out_bytes["forwarded"], out_bytes["jvm"], Env.reconnects,
             "All passed." if not problems else "**Problems:** " + "; ".join(problems)))
    return problems


# ================================================================ part 2: Stop -> delivered

def run_turn(env, c, sid, turn_no, calls):
    """Posts a turn's events up to (not including) Stop; returns (prompt_id, final text, statuses)."""
    pid = str(uuid.uuid4())
    text = "BENCH turn %d: run echo 1 to echo %d" % (turn_no, calls)
    final = "Done: turn %d printed 1 to %d." % (turn_no, calls)
    statuses = [env.post(c, enc(env.prompt(sid, pid, text)))[0]]
    ids = []
    for n in range(1, calls + 1):
        tool_id = "toolu_%s_%d_%d" % (sid[:8], turn_no, n)
        ids.append(tool_id)
        if TOOL_HOOKS:  # server mode as installed hooks neither: the flush reads the calls from the transcript
            statuses.append(env.post(c, enc(env.pre(sid, pid, n, tool_id)))[0])
            statuses.append(env.post(c, enc(env.post_tool(sid, pid, n, tool_id)))[0])
    # the same ids as the hooks': the transcript and the hooks describe the same calls
    env.write_turn_transcript(sid, pid, text, final, calls, ids)
    return pid, final, statuses


def latency(a, env, traces):
    turns, per_session = a.turns, a.turns_per_session
    c = env.conn()
    rows = []  # (turn in session, latency ms, stop request ms, check)
    problems = []
    sessions = []
    timeouts = 0
    turn_no = 0
    while turn_no < turns:
        sid = str(uuid.uuid4())
        sessions.append(sid)
        env.post(c, enc(env.session_start(sid)))
        pid = None
        for k in range(1, per_session + 1):
            if turn_no >= turns:
                break
            turn_no += 1
            pid, final, statuses = run_turn(env, c, sid, turn_no, TOOL_CALLS)
            if any(s != 200 for s in statuses):
                problems.append("turn %d: non-200 answers %s" % (turn_no, sorted(set(statuses))))
            t0 = time.time_ns()
            status, stop_ns = env.post(c, enc(env.stop(sid, pid, final)))
            got = traces.await_count(sid, k, a.deliver_timeout)
            if len(got) < k:
                timeouts += 1
                problems.append("turn %d (session %s, turn %d): no trace within %d s" % (turn_no, sid, k,
                                                                                         a.deliver_timeout))
                rows.append((k, float("inf"), ms(stop_ns), "missing"))
                continue
            t = got[k - 1]
            lat = (t["received_at_us"] * 1000 - t0) / 1e6
            check = check_trace(t, TOOL_CALLS)
            if check != "ok":
                problems.append("turn %d: %s" % (turn_no, check))
            rows.append((k, lat, ms(stop_ns), check))
            log("Stop -> delivered: turn %d/%d (session turn %d): %.1f ms" % (turn_no, turns, k, lat))
            time.sleep(a.pause)
        env.post(c, enc(env.session_end(sid, pid)))
    # SessionEnd flushes find nothing new: no extra trace per session, none sent twice.
    time.sleep(3)
    traces.poll()
    for i, sid in enumerate(sessions):
        expected = min(per_session, turns - i * per_session)
        n = len(traces.for_session(sid))
        if n != expected:
            problems.append("session %s: %d traces, expected %d" % (sid, n, expected))
    c.close()
    lats = [r[1] for r in rows]
    firsts = [r[1] for r in rows if r[0] == 1]
    lasts = [r[1] for r in rows if r[0] == per_session]
    med, mx = pct(lats, .5), max(lats)
    print("#### Stop → trace delivered\n")
    calls = ("%d PreToolUse/PostToolUse pairs" % TOOL_CALLS if TOOL_HOOKS else
             "no PreToolUse/PostToolUse (server mode as `init` installs it: the flush reads the %d calls from the "
             "transcript)" % TOOL_CALLS)
    print("- Method: %d turns in sessions of %d turns, one after another over one kept-alive connection: "
          "UserPromptSubmit, %s, the turn's transcript lines (the flush waits for the final text in the transcript, "
          "as Claude Code has written it by Stop), then Stop; latency = the fake Infinium API's acceptance time of "
          "the trace (`Instant.now()` in TraceLogApi, a separate process) minus the wall time just before the Stop "
          "request was sent; %.1f s pause between turns\n" % (turns, per_session, calls, a.pause))
    print("| | median (ms) | p90 (ms) | max (ms) | min (ms) |")
    print("|---|---:|---:|---:|---:|")
    print("| Stop → delivered, all %d turns | **%.1f** | %.1f | **%.1f** | %.1f |" % (len(lats), med, pct(lats, .9), mx,
                                                                                  min(lats)))
    if firsts and lasts and per_session > 1:
        print("| first turn of each session | %.1f | | %.1f | |" % (pct(firsts, .5), max(firsts)))
        print("| turn %d of each session | %.1f | | %.1f | |" % (per_session, pct(lasts, .5), max(lasts)))
    stops = [r[2] for r in rows]
    print("| the Stop request itself (response time) | %.2f | %.2f | %.2f | %.2f |" % (pct(stops, .5), pct(stops, .9),
                                                                                       max(stops), min(stops)))
    print("\nTargets: median ≤ 1 s: **%s**; max ≤ 3 s: **%s**. Checks: %d traces, each with %d tool_use steps "
          "echo 1..%d and their outputs; one trace per turn per session after SessionEnd. %s\n"
          % ("met" if med <= 1000 else "NOT met", "met" if mx <= 3000 else "NOT met", len(lats) - timeouts,
             TOOL_CALLS, TOOL_CALLS, "All passed." if not problems else "**Problems:** " + "; ".join(problems)))
    print("Per turn (ms, in order): " + ", ".join("%.0f" % x for x in lats) + "\n")
    return problems


# ================================================================ part 3: load

def load(a, env, traces):
    n_sessions, n_events = a.sessions_n, a.events
    pairs = (n_events - 2) // 2
    sids = [str(uuid.uuid4()) for _ in range(n_sessions)]
    sent = {sid: [] for sid in sids}
    lat = {sid: [] for sid in sids}
    statuses = {sid: [] for sid in sids}
    stop_t0 = {}
    span = {}
    barrier = threading.Barrier(n_sessions)
    errors = []

    def session(sid):
        try:
            c = env.conn()
            c.connect()
            pid = str(uuid.uuid4())
            text = "BENCH load session: %d tool calls" % pairs
            final = "Done: %d tool calls." % pairs
            events = [env.prompt(sid, pid, text)]
            for n in range(1, pairs + 1):
                tool_id = "toolu_%s_%d" % (sid[:8], n)
                events.append(env.pre(sid, pid, n, tool_id))
                events.append(env.post_tool(sid, pid, n, tool_id))
            bodies = [enc(e) for e in events]
            stop_body = enc(env.stop(sid, pid, final))
            env.write_turn_transcript(sid, pid, text, final, 0)
            barrier.wait()
            start = time.perf_counter_ns()
            for e, b in zip(events, bodies):
                s, ns = env.post(c, b)
                statuses[sid].append(s)
                lat[sid].append(ns)
                sent[sid].append((e["hook_event_name"], e.get("tool_use_id")))
            stop_t0[sid] = time.time_ns()
            s, ns = env.post(c, stop_body)
            statuses[sid].append(s)
            lat[sid].append(ns)
            sent[sid].append(("Stop", None))
            span[sid] = (start, time.perf_counter_ns())
            c.close()
        except Exception as e:  # reported below, never hangs the barrier for the others
            errors.append("%s: %r" % (sid, e))
            barrier.abort()

    before = env.status()["events_received"]
    threads = [threading.Thread(target=session, args=(sid,)) for sid in sids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    problems = list(errors)
    if len(span) != n_sessions:
        problems.append("only %d of %d sessions finished posting" % (len(span), n_sessions))
    start = min(s for s, _ in span.values())
    end = max(e for _, e in span.values())
    total = sum(len(v) for v in lat.values())
    wall_s = (end - start) / 1e9
    all_lat = [ms(x) for v in lat.values() for x in v]
    non200 = sum(1 for v in statuses.values() for s in v if s != 200)
    log("load: %d events in %.2f s" % (total, wall_s))

    # zero loss: traces
    arrivals = {}
    deadline = time.monotonic() + a.deliver_timeout * 2
    while time.monotonic() < deadline:
        traces.poll()
        if all(traces.for_session(sid) for sid in sids):
            break
        time.sleep(0.01)
    time.sleep(2)  # anything sent twice would show now
    traces.poll()
    after = env.status()["events_received"]
    for sid in sids:
        got = traces.for_session(sid)
        if len(got) != 1:
            problems.append("session %s: %d traces, expected 1" % (sid, len(got)))
            continue
        arrivals[sid] = (got[0]["received_at_us"] * 1000 - stop_t0[sid]) / 1e6
        check = check_trace(got[0], pairs)
        if check != "ok":
            problems.append("session %s: trace %s" % (sid, check))
    # zero loss: spools hold exactly what was sent, in order
    spool_ok = 0
    for sid in sids:
        lines = spool_lines(a, "claude-code", sid)
        got = [(d["event"]["hook_event_name"], d["event"].get("tool_use_id")) for d in lines]
        if got == sent[sid]:
            spool_ok += 1
        else:
            problems.append("session %s: spool has %d lines, %d sent%s" % (
                sid, len(got), len(sent[sid]), "" if len(got) != len(sent[sid]) else " (different order or content)"))
    if non200:
        problems.append("%d requests answered non-200" % non200)
    if after - before != total:
        problems.append("the server counted %d events, %d were sent" % (after - before, total))
    if traces.counts.get("replays", 0) or traces.counts.get("rejected", 0):
        problems.append("fake API: %s" % traces.counts)

    print("#### Load: %d concurrent sessions × %d events\n" % (n_sessions, n_events))
    print("- Method: %d threads, one per session, each with its own kept-alive connection, released together; "
          "each posts UserPromptSubmit, %d PreToolUse/PostToolUse pairs and Stop back to back (Claude Code "
          "2.1.330 shaped events); latency per request from sending to the whole response read\n"
          % (n_sessions, pairs))
    print("| events | wall (s) | throughput (events/s) | p50 (ms) | p99 (ms) | max (ms) | Stop → delivered, "
          "median / max (ms) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    arr = list(arrivals.values())
    print("| %d | %.2f | **%.0f** | **%.2f** | **%.2f** | %.2f | %s |" % (
        total, wall_s, total / wall_s, pct(all_lat, .5), pct(all_lat, .99), max(all_lat),
        "%.0f / %.0f" % (pct(arr, .5), max(arr)) if arr else "—"))
    print("\nZero loss: spools exact (every line, in order) %d/%d; traces received once with all %d tool steps "
          "%d/%d; server events counted %d of %d sent; fake API %s. %s\n"
          % (spool_ok, n_sessions, pairs, sum(1 for sid in sids if sid in arrivals and
                                               check_trace(traces.for_session(sid)[0], pairs) == "ok"),
             n_sessions, after - before, total, traces.counts,
             "All passed." if not problems else "**Problems:** " + "; ".join(problems)))
    return problems


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--work", required=True)
    p.add_argument("--launcher", required=True)
    p.add_argument("--python", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--token-file", required=True)
    p.add_argument("--project", required=True)
    p.add_argument("--sessions-dir", dest="sessions", required=True)
    p.add_argument("--traces", required=True)
    p.add_argument("--claude-payload", required=True)
    p.add_argument("--codex-payload", required=True)
    p.add_argument("--runs", type=int, default=100)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--prewarm", type=int, default=500)
    p.add_argument("--turns", type=int, default=30)
    p.add_argument("--turns-per-session", type=int, default=10)
    p.add_argument("--pause", type=float, default=0.2)
    p.add_argument("--deliver-timeout", type=int, default=30)
    p.add_argument("--sessions", dest="sessions_n", type=int, default=8)
    p.add_argument("--events", type=int, default=200)
    p.add_argument("--parts", default="roundtrip,latency,load")
    p.add_argument("--node", default="")
    p.add_argument("--node-version", default="")
    p.add_argument("--bursts", type=int, default=5)
    p.add_argument("--burst-len", type=int, default=24)
    p.add_argument("--burst-gap", type=int, default=20)
    a = p.parse_args()
    env = Env(a)
    traces = TraceLog(a.traces)
    problems = []
    parts = a.parts.split(",")
    if "roundtrip" in parts:
        problems += roundtrip(a, env)
    if "latency" in parts:
        problems += latency(a, env, traces)
    if "load" in parts:
        problems += load(a, env, traces)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
