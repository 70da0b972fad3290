#!/bin/sh
# shellcheck disable=SC3013  # test -nt/-ot: POSIX.1-2024, and in dash, bash, ash, ksh, zsh
# Hook latency benchmark: the exact command `infinium init` installs,
#     <repo>/bin/infinium hook --agent claude-code
# fed a real Claude Code 2.1.330 PreToolUse event, ALTERNATING in one loop with
#   (a) /usr/bin/python3 -c: json.load the same event from stdin and append json.dumps + "\n" to a
#       file -- the floor every Python hook connector pays per event, and
#   (b) sh -c 'cat >> f' -- the floor of any hook at all (process spawn + one append).
# Prints the machine and p50/p95 per command as Markdown, ready for BENCHMARKS.md.
#
# Usage:  bench/hook-bench.sh [RUNS]          RUNS per command, default 40, at least 30
# Env:    INFINIUM_JAVA=/path/to/bin/java    benchmark another JDK (passed on to the launcher)
#         INFINIUM_NO_ARCHIVE=1              benchmark without the class-data archive
#         PYTHON=/usr/bin/python3            the Python of baseline (a), also the timer
#         WARMUP=5                           untimed rounds first
#         VIA=plugin                         time the Claude Code plugin's hook instead
#                                            (plugins/claude-code/hooks/infinium-hook, the event's cwd
#                                            in a project with .infinium/config.json); VIA=plugin-untraced:
#                                            the same in a folder no project claims (nothing recorded)
#
# Timing: each run is timed by a tiny Python helper around subprocess.run (perf_counter_ns, spawn
# to exit); the helper's own start-up is outside the timed interval, and its spawn overhead is the
# same for all three commands (about 0.2 ms: hyperfine gives 2.2 ms for the `cat` row's command on
# the machine where this gives 2.4). hyperfine cannot alternate commands, hence this loop; the
# first command of each round rotates, so no command always runs right after the same other one.
# Machine load skews everything: the load average before and after is printed, and a run during
# which target/infinium.jar was rebuilt is flagged invalid.
#
# Isolation: CONNECTOR_SESSION_DIR and XDG_STATE_HOME point into a throwaway directory (removed at
# exit), so the bench never touches real sessions or the real error log. The hook's once-a-minute
# stale-session scan (which starts a detached `flush --stale` JVM) is kept out of the timed runs
# by a future-dated `.stale-scan` marker: it is a background event, not a per-event cost.
set -u

here=$(cd -P -- "$(dirname -- "$0")" && pwd -P) || exit 1
root=${here%/*}
launcher=$root/bin/infinium
jar=$root/target/infinium.jar
payload=$here/payloads/claude-code-2.1.330-PreToolUse.json
runs=${1:-40}
warmup=${WARMUP:-5}
py=${PYTHON:-/usr/bin/python3}
via=${VIA:-init}

case $runs in ''|*[!0-9]*) echo "usage: $0 [RUNS]  (RUNS >= 30)" >&2; exit 2 ;; esac
case $warmup in ''|*[!0-9]*) echo "WARMUP must be a number" >&2; exit 2 ;; esac
case $via in init|plugin|plugin-untraced) ;; *) echo "VIA is init, plugin or plugin-untraced" >&2; exit 2 ;; esac
[ "$runs" -ge 30 ] || { echo "hook-bench: RUNS must be at least 30 (p95 of fewer runs is noise)" >&2; exit 2; }
[ -x "$py" ] || { echo "hook-bench: $py not found (it is baseline (a) and the timer); set PYTHON" >&2; exit 1; }
[ -f "$payload" ] || { echo "hook-bench: payload $payload is missing" >&2; exit 1; }
[ -x "$launcher" ] || { echo "hook-bench: launcher $launcher is missing or not executable" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/infinium-bench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
CONNECTOR_SESSION_DIR=$work/sessions
XDG_STATE_HOME=$work/state
export CONNECTOR_SESSION_DIR XDG_STATE_HOME
mkdir -p "$CONNECTOR_SESSION_DIR" "$XDG_STATE_HOME"
touch -t 209901010000 "$CONNECTOR_SESSION_DIR/.stale-scan"

# The plugin's hook decides from the event's cwd whether a project asked to be traced: the same
# event, its cwd moved into a throwaway project (or a folder no project claims).
payload_name=$(basename "$payload")
plugin_hook=$root/plugins/claude-code/hooks/infinium-hook
if [ "$via" != init ]; then
    mkdir -p "$work/project/.infinium" "$work/untraced"
    printf '{"agent_id":"bench-agent"}\n' > "$work/project/.infinium/config.json"
    case $via in plugin) event_cwd=$work/project ;; *) event_cwd=$work/untraced ;; esac
    "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); d["cwd"]=sys.argv[2]; open(sys.argv[3],"w").write(json.dumps(d,separators=(",",":")))' \
        "$payload" "$event_cwd" "$work/payload.json" || exit 1
    payload=$work/payload.json
    CLAUDE_PLUGIN_ROOT=$root/plugins/claude-code
    export CLAUDE_PLUGIN_ROOT
fi

# 1. The jar (built if missing) and the class-data archive (a command a person runs creates it
#    synchronously; this is also what `infinium init` does on a fresh install).
if [ ! -f "$jar" ]; then
    echo "hook-bench: building $jar (mvn -q -B -DskipTests package)..." >&2
    (cd "$root" && mvn -q -B -DskipTests package) >&2 || { echo "hook-bench: build failed" >&2; exit 1; }
fi
version=$("$launcher" --version 2>"$work/version.err") || {
    echo "hook-bench: '$launcher --version' failed:" >&2; cat "$work/version.err" >&2; exit 1; }

# 2. What the hook will run with (the launcher's debug line), waiting for a background archive
#    creation to finish if one is running.
hook_state() {
    INFINIUM_LAUNCHER_DEBUG=1 "$launcher" hook --agent claude-code < "$payload" 2>&1 >/dev/null \
        | sed -n 's/^infinium launcher: java //p'
}
state=$(hook_state)
n=0
while [ $n -lt 60 ]; do
    case $state in *"being created"*|*"in the background"*) sleep 1; state=$(hook_state); n=$((n + 1)) ;; *) break ;; esac
done
java_bin=${state%% (Java*}
java_desc=$("$java_bin" -version 2>&1 | sed -n 2p)
archive_kind=${state#*), archive }
case $archive_kind in
    "aot "*"(used)")    archive_desc="AOT cache (-XX:AOTCache), used" ;;
    "dyncds "*"(used)") archive_desc="dynamic CDS archive (-XX:+AutoCreateSharedArchive), used" ;;
    "appcds "*"(used)") archive_desc="AppCDS archive (-XX:SharedArchiveFile), used" ;;
    *"(off)")           archive_desc="none (INFINIUM_NO_ARCHIVE)" ;;
    *)                  archive_desc="NOT used: ${archive_kind}" ;;
esac

# 3. The three commands.
py_code='import json,sys; d=json.load(sys.stdin); open(sys.argv[1],"a").write(json.dumps(d)+"\n")'
timer='import subprocess,sys,time
out=open(sys.argv[2],"ab"); err=open(sys.argv[3],"ab")
with open(sys.argv[1],"rb") as f:
    t=time.perf_counter_ns(); r=subprocess.run(sys.argv[4:],stdin=f,stdout=out,stderr=err); e=time.perf_counter_ns()
print(e-t, r.returncode)'

# shellcheck disable=SC2016  # $1 belongs to the inner sh
cat_code='cat >> "$1"'

run_one() {   # $1 = hook|python|cat ; appends "ns rc" to $work/t.$1
    case $1 in
        hook)   if [ "$via" = init ]; then set -- hook "$launcher" hook --agent claude-code
                else set -- hook "$plugin_hook"; fi ;;
        python) set -- python "$py" -c "$py_code" "$work/python.jsonl" ;;
        cat)    set -- cat sh -c "$cat_code" sh "$work/cat.jsonl" ;;
    esac
    r_name=$1; shift
    "$py" -c "$timer" "$payload" "$work/out.$r_name" "$work/err.$r_name" "$@" >> "$work/t.$r_name"
}

round() {     # one run of each command; $1 rotates which one starts
    case $(( $1 % 3 )) in
        0) run_one hook; run_one python; run_one cat ;;
        1) run_one python; run_one cat; run_one hook ;;
        2) run_one cat; run_one hook; run_one python ;;
    esac
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
touch -r "$jar" "$work/jar.mtime"       # to notice a rebuild of the jar during the runs
i=0
while [ $i -lt "$warmup" ]; do round $i; i=$((i + 1)); done
rm -f "$work"/t.* "$work"/out.* "$work"/err.*
: > "$work/t.hook"; : > "$work/t.python"; : > "$work/t.cat"
i=0
while [ $i -lt "$runs" ]; do round $i; i=$((i + 1)); done
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")

# 4. Statistics (nearest-rank percentiles) and checks.
stats() {     # $1 = file of "ns rc" lines -> "p50 p95 min max mean failures", times in ms
    s_bad=$(awk '$2 != 0 { b++ } END { print b + 0 }' "$1")
    awk '{ print $1 / 1e6 }' "$1" | sort -n | awk -v bad="$s_bad" '
        { v[NR] = $1; sum += $1 }
        END {
            n = NR
            i50 = int(n * 0.50); if (i50 < n * 0.50) i50++
            i95 = int(n * 0.95); if (i95 < n * 0.95) i95++
            printf "%.1f %.1f %.1f %.1f %.1f %d\n", v[i50], v[i95], v[1], v[n], sum / n, bad
        }'
}
# shellcheck disable=SC2046  # split on purpose
set -- $(stats "$work/t.hook");   h50=$1 h95=$2 hmin=$3 hmax=$4 hmean=$5 hbad=$6
# shellcheck disable=SC2046
set -- $(stats "$work/t.python"); p50=$1 p95=$2 pmin=$3 pmax=$4 pmean=$5 pbad=$6
# shellcheck disable=SC2046
set -- $(stats "$work/t.cat");    c50=$1 c95=$2 cmin=$3 cmax=$4 cmean=$5 cbad=$6
ratio=$(awk -v h="$h50" -v p="$p50" 'BEGIN { printf "%.1f", h / p }')
hook_stdout=$(wc -c < "$work/out.hook" | tr -d ' ')
hook_stderr=$(wc -c < "$work/err.hook" | tr -d ' ')
spool_lines=$(cat "$CONNECTOR_SESSION_DIR"/claude-code/*.jsonl 2>/dev/null | wc -l | tr -d ' ')
expected_lines=$((runs + warmup + 1 + n))   # + the state probe(s)
[ "$via" = plugin-untraced ] && expected_lines=$((1 + n))
case $via in
    init)   hook_label="<repo>/bin/infinium hook --agent claude-code" ;;
    plugin) hook_label="plugins/claude-code/hooks/infinium-hook (plugin), traced project" ;;
    *)      hook_label="plugins/claude-code/hooks/infinium-hook (plugin), untraced folder" ;;
esac

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
[ -n "$cpu" ] || cpu=$(sysctl -n machdep.cpu.brand_string 2>/dev/null || uname -m)
ncpu=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
pyver=$("$py" --version 2>&1)
bytes=$(wc -c < "$payload" | tr -d ' ')

cat <<EOF
### Hook latency: \`$hook_label\` ($(date -u '+%Y-%m-%d %H:%M UTC'))

- Machine: $ncpu CPUs, $cpu, $(uname -sr) $(uname -m); load average $load_before before, $load_after after
- Java: \`$java_bin\` ($java_desc); class-data archive: $archive_desc
- Connector: $version, launcher \`$launcher\`
- Python: \`$py\` ($pyver)
- Payload: Claude Code 2.1.330 PreToolUse event, $bytes bytes (\`bench/payloads/$payload_name\`$(case $via in plugin) echo ", cwd moved into a traced project" ;; plugin-untraced) echo ", cwd moved into an untraced folder" ;; esac))
- Method: $runs runs per command after $warmup warm-up rounds, the three commands alternating in one loop (rotating order); wall time from spawn to exit, timed by a Python \`perf_counter_ns\` helper around \`subprocess.run\`

| Command | p50 (ms) | p95 (ms) | min (ms) | max (ms) | mean (ms) |
|---|---:|---:|---:|---:|---:|
| \`$hook_label\` | **$h50** | **$h95** | $hmin | $hmax | $hmean |
| \`$py -c\` json.load + append (Python floor) | $p50 | $p95 | $pmin | $pmax | $pmean |
| \`sh -c 'cat >> f'\` (spawn floor) | $c50 | $c95 | $cmin | $cmax | $cmean |

Hook p50 / Python p50: **${ratio}x**. Checks: hook stdout $hook_stdout bytes, stderr $hook_stderr bytes, non-zero exits: hook $hbad, python $pbad, cat $cbad; spool lines written $spool_lines (expected $expected_lines).
EOF
if [ "$jar" -nt "$work/jar.mtime" ] || [ "$jar" -ot "$work/jar.mtime" ]; then
    echo
    echo "**Invalid run: $jar was rebuilt while the benchmark ran.**"
fi
if [ "$hook_stderr" -gt 0 ] || [ "$hbad" -gt 0 ]; then
    echo
    echo "Hook stderr (first lines):"
    echo
    head -n 5 "$work/err.hook" | sed 's/^/    /'
fi
