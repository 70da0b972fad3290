#!/usr/bin/env python3
"""Synthetic Claude Code 2.1.330 sessions for bench/flush-bench.sh, in the real on-disk shapes.

Writes, under OUT:
  sessions/claude-code/<sid>.jsonl   the spool, one {"received_at":...,"event":{...}} line per hook
                                     event, as `infinium hook` appends them
  claude/projects/-proj/<sid>.jsonl  the session transcript (user lines with promptId, assistant
                                     lines with message.id / requestId / usage, one line per content
                                     block, tool_result lines, attachments, api-request lines)
  claude/projects/-proj/<sid>/subagents/agent-<id>.jsonl   one transcript per subagent
  next-turn.spool.jsonl, next-turn.transcript.jsonl       one more turn of the session, to append
  files.txt                          every file the session consists of (for the Python floor)

Turns look like the captured fixtures (src/test/resources/fixtures/claude-code-2.1.330): prompt,
N tool calls (Pre/PostToolUse + PostToolBatch, some failing), every tenth turn a subagent (every
other one in the background, its SubagentStop landing after the turn's Stop), Stop. Tool outputs
are sized so the transcript reaches --transcript-mb. Deterministic for a given --seed.

Usage: gen-claude-session.py --out DIR --events N --transcript-mb M [--seed S] [--turns T]
       (--turns T instead of --events: exactly T turns, e.g. a 1-turn session)
"""
import argparse
import json
import os
import random
import time
import uuid

NEXT_TURN_TOOLS = 10  # the appended turn and a 1-turn session have the same shape


def dumps(o):
    return json.dumps(o, separators=(",", ":"), ensure_ascii=False)


class Clock:
    def __init__(self):
        self.ms = 1795824000000  # 2026-11-22T00:00:00Z

    def tick(self, rnd, lo=20, hi=400):
        self.ms += rnd.randint(lo, hi)
        return self.iso()

    def iso(self):
        s, ms = divmod(self.ms, 1000)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(s)) + ".%03dZ" % ms


WORDS = ("the and value return if else for while import class def self test file path line error "
         "result config build json parse session token usage model stream write read close open "
         "function public private static final string int long list map set node event hook").split()


def text(rnd, size):
    """Source-code-like text: words, newlines, quotes, indentation, a few non-ASCII characters."""
    out = []
    n = 0
    while n < size:
        line = "    " * rnd.randint(0, 3) + " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 12)))
        if rnd.random() < 0.2:
            line += ' = "' + rnd.choice(WORDS) + '";'
        if rnd.random() < 0.02:
            line += " // café → naïve"
        out.append(line)
        n += len(line) + 1
    return "\n".join(out)[:size]


# What a tool output now and then holds: a dumped .env with made-up credentials in real formats,
# so the flush benchmark measures redaction that finds something, not only its keyword check.
ENV_DUMP = ("AWS_ACCESS_KEY_ID=AKIAZ7QXRN4JWK2LMP5T\nDATABASE_URL=postgres://app:Pq7-wX2zK9vR@db:5432/app\n"
            "STRIPE_KEY=sk_live_51Hq8Jr2mXb7Kp3Lz9Nt4Vc6Hs1Gd5Fy\nGITHUB_TOKEN=ghp_R7mKq2Lw9Xz4Tb8Nc3Vd6Hs1Jf5Gy0AeRuQi\n"
            "Authorization: Bearer Tb8Nc3Vd6Hs1Jf5Gy0AeRuQiKq2Lw9Xz4\n")


class Session:
    def __init__(self, out, seed, output_scale):
        self.rnd = random.Random(seed)
        self.out = out
        self.sid = str(uuid.UUID(int=self.rnd.getrandbits(128), version=4))
        self.cwd = os.path.join(out, "project")
        self.proj = os.path.join(out, "claude", "projects", "-proj")
        self.transcript = os.path.join(self.proj, self.sid + ".jsonl")
        self.subdir = os.path.join(self.proj, self.sid, "subagents")
        self.clock = Clock()
        self.scale = output_scale
        self.spool_lines = []
        self.tr_lines = []
        self.sub_files = {}
        self.events = 0
        self.msg = 0
        self.tool = 0
        self.planted = 0
        self.turn_no = 0
        self.pending_late = []  # spool events of a background subagent, fired after the turn's Stop

    def uid(self):
        return str(uuid.UUID(int=self.rnd.getrandbits(128), version=4))

    def hook(self, ev, lines=None):
        at = self.clock.tick(self.rnd)
        (self.spool_lines if lines is None else lines).append(dumps({"received_at": at, "event": ev}))
        self.events += 1

    def base(self, name, prompt_id=None, agent=None):
        ev = {"session_id": self.sid, "transcript_path": self.transcript, "cwd": self.cwd}
        if prompt_id:
            ev["prompt_id"] = prompt_id
            ev["permission_mode"] = "bypassPermissions"
        if agent:
            ev["agent_id"] = agent
            ev["agent_type"] = "general-purpose"
        if prompt_id:
            ev["effort"] = {"level": "medium"}
        ev["hook_event_name"] = name
        return ev

    def tline(self, obj, lines):
        obj.update({"userType": "external", "entrypoint": "sdk-cli", "cwd": self.cwd, "sessionId": self.sid,
                    "version": "2.1.330", "gitBranch": "master"})
        lines.append(dumps(obj))

    def output_size(self):
        r = self.rnd.random()
        base = self.rnd.randint(100, 2000) if r < 0.7 else self.rnd.randint(2000, 20000) if r < 0.95 \
            else self.rnd.randint(50000, 300000)
        return max(20, int(base * self.scale))

    def assistant(self, lines, prompt_id, blocks, sidechain=False, agent=None):
        """One API response: one transcript line per content block, usage repeated, output growing."""
        self.msg += 1
        mid = "msg_bench%06d" % self.msg
        rid = "req_%020x" % self.rnd.getrandbits(80)
        self.tline({"type": "api-request", "requestId": rid, "model": "claude-opus-5-5",
                    "system": text(self.rnd, 600), "timestamp": self.clock.tick(self.rnd, 1, 5)}, lines)
        if self.rnd.random() < 0.3:
            self.tline({"type": "api-request-blob", "requestId": rid,
                        "message": {"content": [{"type": "text", "text": text(self.rnd, 4000)}]}}, lines)
        inp, cc, cr = self.rnd.randint(50, 3000), self.rnd.randint(0, 4000), self.rnd.randint(5000, 80000)
        final_out = self.rnd.randint(20, 900)
        for i, b in enumerate(blocks):
            out_tok = final_out if i == len(blocks) - 1 else max(1, final_out // 2)
            obj = {"parentUuid": self.uid(), "isSidechain": sidechain,
                   "message": {"id": mid, "type": "message", "role": "assistant", "model": "claude-opus-5-5",
                               "content": [b], "stop_reason": "tool_use" if b["type"] == "tool_use" else "end_turn",
                               "stop_sequence": None,
                               "usage": {"input_tokens": inp, "cache_creation_input_tokens": cc,
                                         "cache_read_input_tokens": cr, "output_tokens": out_tok,
                                         "service_tier": "standard"}},
                   "requestId": rid, "type": "assistant", "uuid": self.uid(),
                   "timestamp": self.clock.tick(self.rnd, 1, 30)}
            if agent:
                obj["agentId"] = agent
            self.tline(obj, lines)
        return mid

    def tool_call(self, prompt_id, lines, agent=None, fail=False):
        self.tool += 1
        tid = "toolu_bench%012d" % self.tool
        kind = self.rnd.choice(["Bash", "Bash", "Read", "Grep", "Edit"])
        path = "/src/%s/%s.java" % (self.rnd.choice(WORDS), self.rnd.choice(WORDS))
        tin = {"Bash": {"command": "mvn -q test -Dtest=" + self.rnd.choice(WORDS), "description": "run tests"},
               "Read": {"file_path": path}, "Grep": {"pattern": self.rnd.choice(WORDS), "path": "/src"},
               "Edit": {"file_path": path, "old_string": text(self.rnd, 200), "new_string": text(self.rnd, 220)}}[kind]
        body = text(self.rnd, self.output_size())
        if self.rnd.random() < 0.02:
            body = ENV_DUMP + body  # at the start: inside what the preview keeps
            self.planted += 1
        self.assistant(lines, prompt_id, [{"type": "text", "text": text(self.rnd, 120)},
                                          {"type": "tool_use", "id": tid, "name": kind, "input": tin}],
                       sidechain=agent is not None, agent=agent)
        pre = self.base("PreToolUse", prompt_id, agent)
        pre.update({"tool_name": kind, "tool_input": tin, "tool_use_id": tid})
        self.hook(pre)
        if fail:
            post = self.base("PostToolUseFailure", prompt_id, agent)
            post.update({"tool_name": kind, "tool_input": tin, "tool_use_id": tid,
                         "error": "Exit code 1\n" + body[:400], "is_interrupt": False, "duration_ms": 40})
            response = "Exit code 1\n" + body[:400]
        else:
            response = {"stdout": body, "stderr": "", "interrupted": False, "isImage": False} if kind == "Bash" \
                else {"type": "text", "file": {"filePath": path, "content": body, "numLines": body.count("\n") + 1}}
            post = self.base("PostToolUse", prompt_id, agent)
            post.update({"tool_name": kind, "tool_input": tin, "tool_response": response, "tool_use_id": tid,
                         "duration_ms": self.rnd.randint(5, 4000)})
        self.hook(post)
        batch = self.base("PostToolBatch", prompt_id, agent)
        batch["tool_calls"] = [{"tool_name": kind, "tool_input": tin, "tool_use_id": tid,
                                "tool_response": body[:2000]}]
        self.hook(batch)
        result = {"parentUuid": self.uid(), "isSidechain": agent is not None, "promptId": prompt_id, "type": "user",
                  "message": {"role": "user", "content": [{"tool_use_id": tid, "type": "tool_result",
                                                          "content": body, "is_error": fail}]},
                  "uuid": self.uid(), "timestamp": self.clock.tick(self.rnd, 1, 10), "toolUseResult": response}
        if agent:
            result["agentId"] = agent
        self.tline(result, lines)
        self.tline({"parentUuid": self.uid(), "isSidechain": agent is not None, "type": "attachment",
                    "attachment": {"type": "hook_success", "hookName": "PostToolUse:" + kind,
                                   "content": "", "stdout": "", "stderr": "", "exitCode": 0},
                    "uuid": self.uid(), "timestamp": self.clock.tick(self.rnd, 1, 5)}, lines)

    def subagent(self, prompt_id, background):
        agent = "a%016x" % self.rnd.getrandbits(64)
        path = os.path.join(self.subdir, "agent-%s.jsonl" % agent)
        lines = self.sub_files.setdefault(path, [])
        ev = self.base("SubagentStart", prompt_id)
        ev.update({"agent_id": agent, "agent_type": "general-purpose"})
        self.hook(ev)
        self.tline({"parentUuid": None, "isSidechain": True, "promptId": prompt_id, "agentId": agent, "type": "user",
                    "message": {"role": "user", "content": "Subagent task: " + text(self.rnd, 300)},
                    "uuid": self.uid(), "timestamp": self.clock.tick(self.rnd)}, lines)
        for _ in range(3):
            self.tool_call(prompt_id, lines, agent=agent)
        self.assistant(lines, prompt_id, [{"type": "text", "text": "Subagent result: " + text(self.rnd, 200)}],
                       sidechain=True, agent=agent)
        stop = self.base("SubagentStop", prompt_id, agent)
        stop.update({"stop_hook_active": False, "agent_transcript_path": path,
                     "last_assistant_message": "Subagent result " + agent})
        if background:
            self.pending_late.append(stop)
        else:
            self.hook(stop)

    def turn(self, tools, lines=None, spool=None):
        lines = self.tr_lines if lines is None else lines
        self.turn_no += 1
        pid = self.uid()
        prompt = "BENCH-TURN%d %s" % (self.turn_no, text(self.rnd, self.rnd.randint(40, 400)))
        self.tline({"type": "queue-operation", "operation": "enqueue", "timestamp": self.clock.iso(),
                    "content": prompt}, lines)
        ev = self.base("UserPromptSubmit", pid)
        ev["prompt"] = prompt
        self.hook(ev, spool)
        for late in self.pending_late:  # the background subagent of the previous turn finishes now
            self.hook(late, spool)
        self.pending_late = []
        self.tline({"parentUuid": None, "isSidechain": False, "promptId": pid, "type": "user",
                    "message": {"role": "user", "content": prompt}, "uuid": self.uid(),
                    "timestamp": self.clock.tick(self.rnd), "permissionMode": "bypassPermissions"}, lines)
        for _ in range(2):
            self.tline({"parentUuid": self.uid(), "isSidechain": False, "type": "attachment",
                        "attachment": {"type": "environment", "snapshot": text(self.rnd, 900)},
                        "uuid": self.uid(), "timestamp": self.clock.iso()}, lines)
        disp = self.base("MessageDisplay", pid)
        disp.update({"turn_id": self.uid(), "message_id": self.uid(), "index": 0, "final": True,
                     "delta": text(self.rnd, 80)})
        self.hook(disp, spool)
        saved = self.spool_lines
        if spool is not None:
            self.spool_lines = spool
        for i in range(tools):
            self.tool_call(pid, lines, fail=self.rnd.random() < 0.05)
        if self.turn_no % 10 == 0 and spool is None:
            self.subagent(pid, background=self.turn_no % 20 == 0)
        self.spool_lines = saved
        answer = "Done with turn %d: %s" % (self.turn_no, text(self.rnd, 200).replace("\n", " "))
        self.assistant(lines, pid, [{"type": "text", "text": answer}])
        stop = self.base("Stop", pid)
        stop.update({"stop_hook_active": False, "last_assistant_message": answer, "background_tasks": [],
                     "session_crons": []})
        self.hook(stop, spool)
        self.tline({"type": "system", "subtype": "turn_duration", "durationMs": 12000, "uuid": self.uid(),
                    "timestamp": self.clock.iso()}, lines)
        self.tline({"type": "last-prompt", "lastPrompt": prompt[:200], "sessionId": self.sid}, lines)


def tr_size(s):
    return sum(len(l.encode()) + 1 for l in s.tr_lines) + sum(
        len(l.encode()) + 1 for ls in s.sub_files.values() for l in ls)


def generate(args, scale):
    s = Session(args.out, args.seed, scale)
    ev = s.base("SessionStart")
    ev["source"] = "startup"
    ev["model"] = "claude-opus-5-5"
    s.hook(ev)
    while (s.turn_no < args.turns) if args.turns else (s.events < args.events - (3 * NEXT_TURN_TOOLS + 4)):
        tools = NEXT_TURN_TOOLS if args.turns else s.rnd.randint(3, 15)
        s.turn(tools)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--events", type=int, default=1000)
    ap.add_argument("--turns", type=int, default=0)
    ap.add_argument("--transcript-mb", type=float, default=5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--output-scale", type=float, default=0,
                    help="tool output size factor (printed by an earlier run); instead of --transcript-mb")
    args = ap.parse_args()
    # Size the tool outputs: generate once at scale 1, then scale the outputs to reach the target.
    scale = args.output_scale or 1.0
    probe = generate(args, scale)
    target = args.transcript_mb * 1024 * 1024
    for _ in range(0 if args.output_scale else 4):
        size = tr_size(probe)
        if abs(size - target) < 0.03 * target:
            break
        scale *= target / size
        probe = generate(args, scale)
    s = probe
    planted = s.planted
    next_spool, next_tr = [], []
    s.turn(NEXT_TURN_TOOLS, lines=next_tr, spool=next_spool)

    spool = os.path.join(args.out, "sessions", "claude-code", s.sid + ".jsonl")
    os.makedirs(os.path.dirname(spool), exist_ok=True)
    os.makedirs(s.proj, exist_ok=True)
    os.makedirs(s.cwd, exist_ok=True)
    files = [spool, s.transcript]

    def write(path, lines):
        with open(path, "w", encoding="utf-8") as f:
            for l in lines:
                f.write(l + "\n")

    write(spool, s.spool_lines)
    write(s.transcript, s.tr_lines)
    for p, lines in s.sub_files.items():
        os.makedirs(os.path.dirname(p), exist_ok=True)
        write(p, lines)
        files.append(p)
    write(os.path.join(args.out, "next-turn.spool.jsonl"), next_spool)
    write(os.path.join(args.out, "next-turn.transcript.jsonl"), next_tr)
    write(os.path.join(args.out, "files.txt"), files)
    print(dumps({"spool": spool, "events": len(s.spool_lines), "turns": s.turn_no - 1,
                 "transcript_bytes": tr_size(s), "spool_bytes": os.path.getsize(spool),
                 "subagents": len(s.sub_files), "next_turn_events": len(next_spool),
                 "planted": planted, "output_scale": round(scale, 4)}))


if __name__ == "__main__":
    main()
