#!/usr/bin/env python3
"""Flush benchmark driver (run it through bench/flush-bench.sh). See BENCHMARKS.md, "Flush".

For each synthetic Claude Code session (bench/gen-claude-session.py) it measures, RUNS times,
median reported:
  full      the real flush worker (`java <DetachedJvm's flags> -cp JAR ai.infinium.connector.Main
            flush --session-file SPOOL --reason turn-end`) on the session with no state yet: every
            turn queued and delivered to a loopback receiver (bench/loopback-receiver.py)
  python    the floor: python3 json.loads of every line of the same spool and transcript files
  next      on the biggest session: one more turn appended to spool and transcript after the full
            flush, then the flush of that turn
  one-turn  a session of just that one turn (same shape and output sizes), flushed
  jvm       one JVM start: java -jar JAR --version
  redaction each session's full flush again with CONNECTOR_REDACT=off, alternating with the default
            (redaction on) run by run: the cost of redaction is the ratio
  otlp      on the biggest session: the full flush with the project also exporting OTLP
            (http/protobuf, without and with --otlp-content) to the same loopback receiver, every
            turn delivered to both, alternating run by run with the Infinium-only flush
Wall time and peak RSS come from /usr/bin/time -v. Every flush is checked: exit 0, and exactly
the expected number of traces delivered.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
JAR = os.environ.get("JAR", os.path.join(ROOT, "target", "infinium.jar"))
JAVA = os.environ.get("JAVA", shutil.which("java") or "java")
# Keep in step with hook/DetachedJvm.JVM_FLAGS: the bench runs the worker the hook starts.
FLAGS = os.environ.get("FLUSH_JVM_FLAGS",
                       "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn24m -Xmx512m -XX:-UsePerfData").split()
RUNS = int(os.environ.get("RUNS", "3"))
SIZES = [(1000, 5), (10000, 50)]
if os.environ.get("SIZES"):
    SIZES = [tuple(int(x) for x in s.split("x")) for s in os.environ["SIZES"].split(",")]


def timed(cmd, env=None, stdin=None):
    """Runs cmd under /usr/bin/time -v; returns (wall seconds, peak RSS MB, exit code, stdout)."""
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    err = p.stderr
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", err)
    wall = (int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))) if m else float("nan")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1)) / 1024
    code = int(re.search(r"Exit status: (\d+)", err).group(1))
    return wall, rss, code, p.stdout


def generate(out, events=None, mb=None, turns=None, scale=None):
    cmd = [sys.executable, os.path.join(HERE, "gen-claude-session.py"), "--out", out]
    if turns:
        cmd += ["--turns", str(turns)]
    else:
        cmd += ["--events", str(events)]
    cmd += ["--output-scale", str(scale)] if scale else ["--transcript-mb", str(mb)]
    return json.loads(subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout)


class Receiver:
    def __enter__(self):
        self.count_file = tempfile.mktemp()
        self.p = subprocess.Popen([sys.executable, os.path.join(HERE, "loopback-receiver.py"), self.count_file],
                                  stdout=subprocess.PIPE, text=True)
        self.port = int(self.p.stdout.readline())
        return self

    def stats(self):
        import urllib.request
        with urllib.request.urlopen("http://127.0.0.1:%d/stats" % self.port) as r:
            return json.loads(r.read())

    def __exit__(self, *exc):
        self.p.terminate()
        self.p.wait(10)


class Session:
    """A generated session, with pristine copies of its files so every run starts from the same bytes."""

    def __init__(self, work, name, info, port):
        self.dir = os.path.join(work, name)
        self.info = info
        self.spool = info["spool"]
        self.files = open(os.path.join(self.dir, "files.txt")).read().split()
        self.transcript = self.files[1]
        self.pristine = {f: f + ".pristine" for f in (self.spool, self.transcript)}
        for f, copy in self.pristine.items():
            shutil.copyfile(f, copy)
        self.env = dict(os.environ)
        for k in ("INFINIUM_AGENT_ID", "INFINIUM_AGENT_SECRET", "INFINIUM_BASE_URL", "CONNECTOR_GRANULARITY"):
            self.env.pop(k, None)
        state = os.path.join(self.dir, "user")
        self.env.update({"HOME": state + "/home", "XDG_CONFIG_HOME": state + "/config",
                         "XDG_STATE_HOME": state + "/state", "XDG_CACHE_HOME": state + "/cache",
                         "CONNECTOR_SESSION_DIR": os.path.join(self.dir, "sessions"),
                         "INFINIUM_AGENT_ID": "bench-agent", "INFINIUM_AGENT_SECRET": "bench-secret-0000",
                         "INFINIUM_BASE_URL": "http://127.0.0.1:%d/api/v1" % port, "CONNECTOR_QUIET": "true"})
        self.history = state + "/state/infinium/history.jsonl"

    def reset(self):
        for f, copy in self.pristine.items():
            shutil.copyfile(copy, f)
        state_file = self.spool[:-len(".jsonl")] + ".state.json"
        if os.path.exists(state_file):
            os.remove(state_file)
        shutil.rmtree(os.path.join(self.dir, "user"), ignore_errors=True)

    def delivered(self):
        if not os.path.exists(self.history):
            return 0
        return sum(1 for _ in open(self.history))

    def flush(self, expect_total, redact=True):
        env = dict(self.env, CONNECTOR_REDACT="on" if redact else "off")
        wall, rss, code, _ = timed([JAVA] + FLAGS + ["-cp", JAR, "ai.infinium.connector.Main", "flush",
                                                     "--session-file", self.spool, "--reason", "turn-end"],
                                   env=env)
        got = self.delivered()
        if code != 0 or got != expect_total:
            sys.exit("flush-bench: flush of %s exited %d with %d traces delivered, expected %d"
                     % (self.spool, code, got, expect_total))
        return wall, rss

    def export_otlp(self, port, content):
        """Sets the session's project up to export OTLP too (None: Infinium only), as init --otlp-endpoint does."""
        config = os.path.join(self.dir, "project", ".infinium", "config.json")
        if content is None:
            if os.path.exists(config):
                os.remove(config)
            return
        os.makedirs(os.path.dirname(config), exist_ok=True)
        with open(config, "w") as f:
            json.dump({"otlp": {"endpoint": "http://127.0.0.1:%d" % port, "protocol": "http/protobuf",
                                "content": content}}, f)

    def drop_tool_call_hooks(self):
        """Makes the spool what server mode records: no PreToolUse or PostToolUse line (the flush
        reads every call from the transcript instead)."""
        with open(self.spool, "rb") as f:
            lines = f.readlines()
        kept = [l for l in lines
                if json.loads(l).get("event", {}).get("hook_event_name") not in ("PreToolUse", "PostToolUse")]
        with open(self.spool, "wb") as f:
            f.writelines(kept)
        return len(lines) - len(kept)

    def append_next_turn(self):
        for src, dst in (("next-turn.spool.jsonl", self.spool), ("next-turn.transcript.jsonl", self.transcript)):
            with open(os.path.join(self.dir, src), "rb") as f, open(dst, "ab") as out:
                out.write(f.read())


def python_floor(files):
    code = "import json,sys\nfor f in sys.argv[1:]:\n for l in open(f,'rb'):\n  l.strip() and json.loads(l)\n"
    wall, rss, rc, _ = timed([sys.executable, "-c", code] + files)
    return wall, rss


def med(xs):
    return statistics.median(xs)


def load():
    return open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else ["?"] * 3


def main():
    work = tempfile.mkdtemp(prefix="infinium-flush-bench.")
    try:
        run(work)
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)


def run(work):
    java_version = subprocess.run([JAVA, "-version"], stderr=subprocess.PIPE, text=True).stderr.splitlines()
    load_before = load()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    jar_mtime = os.path.getmtime(JAR)
    print("flush-bench: generating sessions %s in %s" % (SIZES, work), file=sys.stderr)
    gens = []
    for events, mb in SIZES:
        name = "s%dk-%dmb" % (events // 1000, mb) if events >= 1000 else "s%d-%dmb" % (events, mb)
        gens.append((name, events, mb, generate(os.path.join(work, name), events=events, mb=mb)))
    biggest = max(gens, key=lambda g: (g[1], g[2]))
    one_turn = generate(os.path.join(work, "one-turn"), turns=1, scale=biggest[3]["output_scale"])
    rows = []
    checked = []
    with Receiver() as rx:
        jvm = [timed([JAVA, "-jar", JAR, "--version"])[0] for _ in range(RUNS)]
        for name, events, mb, info in gens:
            s = Session(work, name, info, rx.port)
            py, full, full_rss, nxt, nxt_rss, off = [], [], [], [], [], []
            for i in range(RUNS):
                py.append(python_floor(s.files)[0])
                for redact in ((True, False) if i % 2 == 0 else (False, True)):
                    s.reset()
                    w, r = s.flush(info["turns"], redact)
                    if not redact:
                        off.append(w)
                        continue
                    full.append(w)
                    full_rss.append(r)
                    if name == biggest[0]:
                        s.append_next_turn()
                        w, r = s.flush(info["turns"] + 1)
                        nxt.append(w)
                        nxt_rss.append(r)
            s.reset()
            before = rx.stats()
            s.flush(info["turns"], True)
            after = rx.stats()
            checked.append((name, after["redactions"] - before["redactions"], after["leaks"] - before["leaks"],
                            info["planted"]))
            if name == biggest[0]:
                otlp = {None: [], False: [], True: []}
                otlp_rss = {None: [], False: [], True: []}
                for i in range(RUNS):
                    for content in ((None, False, True) if i % 2 == 0 else (True, False, None)):
                        s.reset()
                        s.export_otlp(rx.port, content)
                        w, r = s.flush(info["turns"] * (1 if content is None else 2))
                        otlp[content].append(w)
                        otlp_rss[content].append(r)
                s.export_otlp(rx.port, None)
                otlp_mode = {k: (med(v), max(otlp_rss[k])) for k, v in otlp.items()}
                server, server_rss = [], []
                for _ in range(RUNS):
                    s.reset()
                    dropped = s.drop_tool_call_hooks()
                    w, r = s.flush(info["turns"])
                    server.append(w)
                    server_rss.append(r)
                server_mode = (dropped, med(server), max(server_rss))
            rows.append((name, info, med(py), med(full), max(full_rss), nxt and med(nxt), nxt and max(nxt_rss), med(off)))
            print("flush-bench: %s done" % name, file=sys.stderr)
        t = Session(work, "one-turn", one_turn, rx.port)
        one = []
        one_rss = []
        for _ in range(RUNS):
            t.reset()
            w, r = t.flush(1)
            one.append(w)
            one_rss.append(r)
    load_after = load()
    if os.path.getmtime(JAR) != jar_mtime:
        print("**INVALID: %s changed during the run**" % JAR)
    jvm_m = med(jvm)
    print("### Flush: `flush --session-file` of synthetic Claude Code sessions (%s)" % started)
    print("- Machine: %d CPUs (`nproc`), %s; load average %s before, %s after" % (
        os.cpu_count(), " ".join(os.uname()[i] for i in (0, 2, 4)), " ".join(load_before), " ".join(load_after)))
    print("- Java: `%s` (%s); worker flags `%s`" % (JAVA, java_version[1] if len(java_version) > 1 else "?",
                                                   " ".join(FLAGS)))
    print("- Jar: `%s`; Python: `%s` (%s)" % (os.path.relpath(JAR, ROOT) if JAR.startswith(ROOT) else JAR,
                                               sys.executable, sys.version.split()[0]))
    print("- Method: median of %d runs each; wall time and peak RSS from `/usr/bin/time -v`; every flush "
          "queues and delivers every turn to a loopback receiver (one HTTP request per trace) and is "
          "checked for exit 0 and the expected number of delivered traces" % RUNS)
    print()
    print("| Session | events | turns | spool MB | transcripts MB | flush (s) | peak RSS (MB) | Python parse (s) "
          "| flush / (Python + JVM start) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, info, py, full, rss, _, _, _ in rows:
        print("| %s | %d | %d | %.1f | %.1f | **%.2f** | %.0f | %.2f | **%.1fx** |" % (
            name, info["events"], info["turns"], info["spool_bytes"] / 2**20, info["transcript_bytes"] / 2**20,
            full, rss, py, full / (py + jvm_m)))
    print()
    b = [r for r in rows if r[0] == biggest[0]][0]
    print("Redaction: the same full flushes with `CONNECTOR_REDACT=off`, alternating run by run with the "
          "default (on); the issue's bar is on / off at most 2x.")
    print()
    print("| Session | flush, redaction on (s) | flush, off (s) | on / off | redactions in the delivered traces "
          "| planted .env dumps | traces still holding a planted secret |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for (name, info, py, full, rss, _, _, off), (_, red, leak, planted) in zip(rows, checked):
        print("| %s | %.2f | %.2f | **%.2fx** | %d | %d | %d |" % (name, full, off, full / off, red, planted, leak))
    print()
    print("- One JVM start (`java -jar %s --version`): %.2f s" % (os.path.basename(JAR), jvm_m))
    print("- One more turn (%d events) at the end of %s, flushed after the full flush: **%.2f s**, peak RSS %.0f MB"
          % (one_turn["next_turn_events"], biggest[0], b[5], b[6]))
    print("- A session of that one turn alone (%d events), flushed: %.2f s, peak RSS %.0f MB; ratio **%.2fx**"
          % (one_turn["events"], med(one), max(one_rss), b[5] / med(one)))
    print()
    print("OTLP: %s's full flush with the project also exporting OTLP (http/protobuf) to the same loopback "
          "receiver, every turn delivered to both, alternating run by run with the Infinium-only flush:" % biggest[0])
    print()
    print("| Exporters | flush (s) | peak RSS (MB) | / Infinium only |")
    print("|---|---:|---:|---:|")
    for k, label in ((None, "Infinium only"), (False, "Infinium + OTLP"), (True, "Infinium + OTLP with `--otlp-content`")):
        print("| %s | %.2f | %.0f | **%.2fx** |" % (label, otlp_mode[k][0], otlp_mode[k][1], otlp_mode[k][0] / otlp_mode[None][0]))
    print()
    print("- %s as server mode spools it (its %d PreToolUse and PostToolUse lines left out: every call read from the "
          "transcript), full flush: %.2f s (%.1fx), peak RSS %.0f MB"
          % (biggest[0], server_mode[0], server_mode[1], server_mode[1] / (b[2] + jvm_m), server_mode[2]))


if __name__ == "__main__":
    main()
