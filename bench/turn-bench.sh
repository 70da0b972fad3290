#!/bin/sh
# shellcheck disable=SC3013  # test -nt/-ot: POSIX.1-2024, and in dash, bash, ash, ksh, zsh
# Real Claude Code turn benchmark: what the hooks cost a real agent turn.
#
# One `claude -p` turn of the real Claude Code 2.1.330 (from npm, cached like the e2e tests),
# offline against a loopback fake of the Messages API whose scripted replies make it run TWELVE
# SEQUENTIAL Bash tool calls (`echo 1` .. `echo 12`, one tool_use per reply), then answer. The
# same turn runs round by round, alternating (the first variant of each round rotates), in six
# projects that differ only in their hooks:
#   bare           no hooks at all (the floor)
#   null-http      http hooks (as server mode writes them) on PreToolUse and PostToolUse, pointed at
#                  a loopback responder that answers {} at once: Claude Code's own cost of an http
#                  hook per tool call's start and result
#   async-command  "async": true command hooks on the same two events, forwarded to the server:
#                  Claude Code's cost of spawning a background hook per event
#   server         `infinium init --mode server` (the default), the server already running: no hook
#                  on a tool call's start or result (read from the transcript at the turn's end),
#                  http hooks on the rare tool events (none fires here), SessionStart/
#                  UserPromptSubmit/Stop/SessionEnd command hooks that the launcher forwards
#   command        `infinium init --mode command` with INFINIUM_NO_FORWARD=1: a JVM per event
#   forward        the same command hooks with the server running: sh + bash /dev/tcp per event (what
#                  Codex users get)
# Before the rounds, COLD server-mode turns run with no server (stopped first): their SessionStart
# hook starts it. They are reported separately; the table is the steady state.
#
# Prints p50/mean wall time per variant, the added time per tool call vs bare
# ((T_variant - T_bare) / 12) and the ratio to bare, as Markdown for BENCHMARKS.md, plus the
# checks: each hooked turn's trace arrived at a loopback FakeInfiniumApi with its 12 tool_use
# steps, and the server received exactly the events it should (4 per server turn, 28 per forward turn, 0 per
# command turn), the null responder 24 per null-http turn. Claude Code runs with --debug, and a
# second table reads its timestamped log: the tool loop's cycle per variant (what a hook adds per
# tool call without the CLI's start-up and exit noise), the http hooks' round trip and the command
# hooks' time as Claude Code itself measures them. Exit status 1 if a check failed.
#
# Usage:  bench/turn-bench.sh [ROUNDS]       timed rounds, default 10, at least 3
# Env:    WARMUP=1                           untimed (but checked) rounds first
#         COLD=3                             cold server-mode turns before the rounds (0: `server start` up front)
#         INFINIUM_JAVA=/path/to/bin/java   the JDK the hooks and the server run on (passed to the launcher)
#         BENCH_JAVA=java                    the JVM running the harness itself (TurnBench)
#
# The harness is src/test/java/ai/infinium/connector/bench/TurnBench.java, a main in test scope run
# with the test class path (the e2e harness: ClaudeCodeRun, FakeAnthropicApi, FakeInfiniumApi);
# `mvn verify` never runs it. Isolation: everything (HOME, XDG dirs, session dir, the secret as a
# file, Claude Code's config dir) lives in a throwaway directory removed at exit, the server gets a
# free loopback port and is stopped at exit. Needs node/npm once to install Claude Code into
# ~/.cache/infinium-test (or $INFINIUM_TEST_CACHE). Takes about a minute per round.
set -u

here=$(cd -P -- "$(dirname -- "$0")" && pwd -P) || exit 1
root=${here%/*}
rounds=${1:-10}
warmup=${WARMUP:-1}
cold=${COLD:-3}
bench_java=${BENCH_JAVA:-java}

case $rounds in ''|*[!0-9]*) echo "usage: $0 [ROUNDS]  (ROUNDS >= 3)" >&2; exit 2 ;; esac
case $warmup$cold in *[!0-9]*) echo "WARMUP and COLD must be numbers" >&2; exit 2 ;; esac
[ "$rounds" -ge 3 ] || { echo "turn-bench: ROUNDS must be at least 3" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/infinium-turn-bench.XXXXXX") || exit 1
bench_pid=''
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    [ -n "$bench_pid" ] && kill "$bench_pid" 2>/dev/null && wait "$bench_pid" 2>/dev/null
    # The harness stops the server it started; if it was killed, stop it here (its isolated state dir).
    sdir=$work/run/connector/state/infinium/server
    spid=''
    [ -f "$sdir/port" ] && read -r _port spid < "$sdir/port"
    if [ -n "$spid" ]; then
        XDG_STATE_HOME=$work/run/connector/state XDG_CONFIG_HOME=$work/run/connector/config \
            XDG_CACHE_HOME=$work/run/connector/cache HOME=$work/run/connector/home INFINIUM_SECRET_STORE=file \
            "$root/bin/infinium" server stop >/dev/null 2>&1
        # A server started by a hook ignores SIGTERM (see BENCHMARKS.md): TERM, then KILL.
        if kill -0 "$spid" 2>/dev/null; then kill "$spid" 2>/dev/null; sleep 2; kill -KILL "$spid" 2>/dev/null; fi
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Isolated dirs for the launcher probe below (the harness makes its own under $work/connector).
XDG_STATE_HOME=$work/probe/state XDG_CACHE_HOME=$work/probe/cache XDG_CONFIG_HOME=$work/probe/config
CONNECTOR_SESSION_DIR=$work/probe/sessions
export XDG_STATE_HOME XDG_CACHE_HOME XDG_CONFIG_HOME CONNECTOR_SESSION_DIR
mkdir -p "$CONNECTOR_SESSION_DIR"
touch -t 209901010000 "$CONNECTOR_SESSION_DIR/.stale-scan"

# shellcheck source=bench/common.sh
. "$here/common.sh"
bench_build || exit 1
bench_classpath || exit 1
version=$("$launcher" --version 2>"$work/version.err") || { cat "$work/version.err" >&2; exit 1; }
launcher_java

load_before=$(loadavg)
touch -r "$jar" "$work/jar.mtime"
(cd "$root" && exec "$bench_java" -cp "$cp" ai.infinium.connector.bench.TurnBench \
    "$work/run" "$rounds" "$warmup" "$cold" "$work/report.md") &
bench_pid=$!
wait "$bench_pid"
rc=$?
bench_pid=''
load_after=$(loadavg)
[ -f "$work/report.md" ] || { echo "turn-bench: the harness failed (exit $rc), no report" >&2; exit 1; }

cat <<EOF2
### Real Claude Code turn, 12 tool calls ($(date -u '+%Y-%m-%d %H:%M UTC'))

- Machine: $(machine_desc); load average $load_before before, $load_after after
- Hooks' Java: \`$java_bin\` ($java_desc); class-data archive: $archive_desc
- Connector: $version, launcher \`$launcher\`; Claude Code 2.1.330 (\`claude -p\`, offline against a loopback fake Messages API)
- Harness: \`bench/turn-bench.sh $rounds\` (WARMUP=$warmup COLD=$cold), \`$("$bench_java" -version 2>&1 | sed -n 2p)\` running TurnBench
EOF2
cat "$work/report.md"
if [ "$jar" -nt "$work/jar.mtime" ] || [ "$jar" -ot "$work/jar.mtime" ]; then
    echo
    echo "**Invalid run: $jar was rebuilt while the benchmark ran.**"
fi
exit $rc
