#!/bin/sh
# shellcheck disable=SC3013  # test -nt/-ot: POSIX.1-2024, and in dash, bash, ash, ksh, zsh
# Server-mode benchmark: the per-user hook server (`infinium server`) measured from outside.
#
#   1. One event's round trip, ALTERNATING in one loop (rotating order): an HTTP POST to the running
#      server as Claude Code's "http" hooks send it, over a kept-alive connection and over a new
#      connection each time (Python's http.client), and from Node's http client (kept alive, as
#      under Claude Code's axios; skipped without node); the launcher-forwarded command hook (`bin/infinium hook --agent codex`
#      with the server running: bash /dev/tcp, else curl); the JVM command hook (INFINIUM_NO_FORWARD=1); the
#      Python floor and the `cat` floor of hook-bench.sh. p50/p95.
#   2. Stop -> delivered: TURNS turns (prompt, 12 Pre/PostToolUse pairs, Stop) posted to the server;
#      from the Stop request to the trace's acceptance by a loopback fake Infinium API running as a
#      process of its own. Median and max (targets: median <= 1 s, max <= 3 s).
#   3. Load: SESSIONS concurrent sessions x EVENTS events; throughput, p50/p99 request latency, and
#      zero loss (every spool exactly its lines, in order; every trace once, with all its tool steps).
# Prints Markdown for BENCHMARKS.md; exit status 1 if a check failed.
#
# Usage:  bench/server-bench.sh [RUNS]         RUNS per path in part 1, default 100, at least 30
# Env:    TURNS=30 TURNS_PER_SESSION=10          part 2
#         TOOL_HOOKS=1                           part 2 also posts Pre/PostToolUse (default: as server
#                                                mode installs it, the calls only in the transcript)
#         SESSIONS=8 EVENTS=200                  part 3 (EVENTS even, at least 4)
#         WARMUP=10 PREWARM=500                  part 1: untimed rounds; untimed posts warming the server
#         PARTS=roundtrip,latency,load           which parts to run
#         INFINIUM_JAVA=/path/to/bin/java       the JDK of the hooks and the server (passed to the launcher)
#         PYTHON=/usr/bin/python3                the timer, the load generator and the Python floor
#
# The server is started up front (`infinium server start`) with everything isolated in a throwaway
# directory (HOME, XDG dirs, session dir, secret file, a free loopback port) and stopped at exit, as
# is the fake API (src/test/java/ai/infinium/connector/bench/TraceLogApi.java, FakeInfiniumApi as a
# process that logs each accepted trace). The measuring is bench/server_bench.py.
set -u

here=$(cd -P -- "$(dirname -- "$0")" && pwd -P) || exit 1
root=${here%/*}
runs=${1:-100}
py=${PYTHON:-/usr/bin/python3}
parts=${PARTS:-roundtrip,latency,load}
case $runs in ''|*[!0-9]*) echo "usage: $0 [RUNS]  (RUNS >= 30)" >&2; exit 2 ;; esac
[ "$runs" -ge 30 ] || { echo "server-bench: RUNS must be at least 30" >&2; exit 2; }
for v in "${TURNS:-30}" "${TURNS_PER_SESSION:-10}" "${SESSIONS:-8}" "${EVENTS:-200}" "${WARMUP:-10}" "${PREWARM:-500}"; do
    case $v in ''|*[!0-9]*) echo "server-bench: TURNS, TURNS_PER_SESSION, SESSIONS, EVENTS, WARMUP, PREWARM are numbers" >&2; exit 2 ;; esac
done
if [ $(( ${EVENTS:-200} % 2 )) -ne 0 ] || [ "${EVENTS:-200}" -lt 4 ]; then
    echo "server-bench: EVENTS must be even and >= 4" >&2; exit 2
fi
if [ "${TURNS:-30}" -lt 1 ] || [ "${TURNS_PER_SESSION:-10}" -lt 1 ] || [ "${SESSIONS:-8}" -lt 1 ]; then
    echo "server-bench: TURNS, TURNS_PER_SESSION and SESSIONS must be at least 1" >&2; exit 2
fi
[ -x "$py" ] || { echo "server-bench: $py not found; set PYTHON" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/infinium-server-bench.XXXXXX") || exit 1
api_pid=''
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    spid=''
    [ -f "$work/state/infinium/server/port" ] && read -r _port spid < "$work/state/infinium/server/port"
    if [ -n "$spid" ]; then
        "$root/bin/infinium" server stop >/dev/null 2>&1
        # a server that did not stop (it answered neither /shutdown nor, if a hook started it, SIGTERM)
        if kill -0 "$spid" 2>/dev/null; then kill "$spid" 2>/dev/null; sleep 2; kill -KILL "$spid" 2>/dev/null; fi
    fi
    [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# shellcheck source=bench/common.sh
. "$here/common.sh"
bench_build || exit 1
bench_classpath || exit 1     # before HOME moves: Maven needs the real ~/.m2

# The isolated user from here on.
HOME=$work/home XDG_STATE_HOME=$work/state XDG_CACHE_HOME=$work/cache XDG_CONFIG_HOME=$work/config
CONNECTOR_SESSION_DIR=$work/sessions INFINIUM_SECRET_STORE=file INFINIUM_SERVER_IDLE_TIMEOUT=900
INFINIUM_SERVER_PORT=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export HOME XDG_STATE_HOME XDG_CACHE_HOME XDG_CONFIG_HOME CONNECTOR_SESSION_DIR INFINIUM_SECRET_STORE \
    INFINIUM_SERVER_IDLE_TIMEOUT INFINIUM_SERVER_PORT
unset INFINIUM_NO_FORWARD INFINIUM_AGENT_ID INFINIUM_AGENT_SECRET INFINIUM_BASE_URL DBUS_SESSION_BUS_ADDRESS
mkdir -p "$HOME" "$CONNECTOR_SESSION_DIR" "$work/project"
# The JVM hook's once-a-minute stale-session scan (a detached JVM) stays out of the timed runs, as in
# hook-bench.sh; the server's own scan (a timer thread) runs as usual.
touch -t 209901010000 "$CONNECTOR_SESSION_DIR/.stale-scan"

version=$("$launcher" --version 2>"$work/version.err") || { cat "$work/version.err" >&2; exit 1; }
launcher_java

# The fake Infinium API, a process of its own.
agent=agent-bench-0001 secret=bench-secret-Qx7mW2p
(cd "$root" && exec java -cp "$cp" ai.infinium.connector.bench.TraceLogApi "$agent" "$secret" "$work/traces.jsonl") \
    > "$work/api.url" 2> "$work/api.err" &
api_pid=$!
n=0
while [ ! -s "$work/api.url" ] && [ $n -lt 300 ]; do sleep 0.1; n=$((n + 1)); done
read -r base_url < "$work/api.url" || { echo "server-bench: the fake API did not start:" >&2; cat "$work/api.err" >&2; exit 1; }

(cd "$work/project" && "$launcher" init --no-interactive --agent claude-code --agent-id "$agent" \
    --agent-secret "$secret" --base-url "$base_url" --mode server) > "$work/init.log" 2>&1 \
    || { echo "server-bench: init failed:" >&2; cat "$work/init.log" >&2; exit 1; }
"$launcher" server start > "$work/server.log" 2>&1 || { echo "server-bench: server start failed:" >&2; cat "$work/server.log" >&2; exit 1; }
read -r _port server_pid < "$work/state/infinium/server/port"
server_cmd=$(tr '\0' ' ' < "/proc/$server_pid/cmdline" 2>/dev/null | cut -d' ' -f1-4)

node_bin=$(command -v node 2>/dev/null) || node_bin=''
node_ver=''
[ -n "$node_bin" ] && node_ver="node $("$node_bin" --version)"

load_before=$(loadavg)
touch -r "$jar" "$work/jar.mtime"
"$py" "$here/server_bench.py" --work "$work" --launcher "$launcher" --python "$py" --port "$INFINIUM_SERVER_PORT" \
    --token-file "$work/state/infinium/server/token" --project "$work/project" --sessions-dir "$CONNECTOR_SESSION_DIR" \
    --traces "$work/traces.jsonl" --claude-payload "$here/payloads/claude-code-2.1.330-PreToolUse.json" \
    --codex-payload "$here/payloads/codex-0.169.0-PreToolUse.json" --runs "$runs" --warmup "${WARMUP:-10}" \
    --prewarm "${PREWARM:-500}" --turns "${TURNS:-30}" --turns-per-session "${TURNS_PER_SESSION:-10}" \
    --sessions "${SESSIONS:-8}" --events "${EVENTS:-200}" --parts "$parts" \
    --node "$node_bin" --node-version "$node_ver" > "$work/report.md"
rc=$?
load_after=$(loadavg)
server_after=$("$launcher" server status 2>&1 | sed -n 2p | sed 's/^ *//')

cat <<EOF2
### Server mode: \`bench/server-bench.sh $runs\` ($(date -u '+%Y-%m-%d %H:%M UTC'))

- Machine: $(machine_desc); load average $load_before before, $load_after after
- Hooks' Java: \`$java_bin\` ($java_desc); class-data archive: $archive_desc
- Server: pid $server_pid, \`$server_cmd …\` on 127.0.0.1:$INFINIUM_SERVER_PORT, started up front with \`infinium server start\`; at the end: $server_after
- Connector: $version, launcher \`$launcher\`; Python: \`$py\` ($("$py" --version 2>&1)); $(curl --version | head -n 1 | cut -d' ' -f1-2)

EOF2
cat "$work/report.md"
if [ -s "$work/state/infinium/infinium.log" ]; then
    echo "Connector log (errors during the run, first lines):"
    echo
    grep -i -m 5 'error' "$work/state/infinium/infinium.log" | sed 's/^/    /'
fi
if [ "$jar" -nt "$work/jar.mtime" ] || [ "$jar" -ot "$work/jar.mtime" ]; then
    echo
    echo "**Invalid run: $jar was rebuilt while the benchmark ran.**"
fi
exit $rc
