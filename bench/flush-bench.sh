#!/bin/sh
# Flush benchmark: the flush worker the hook starts, on synthetic Claude Code sessions of 1k
# events with 5 MB of transcripts and 10k events with 50 MB, against the Python floor (json.loads of every line
# of the same files) and one JVM start; and one more turn at the end of the biggest session
# against a session of that turn alone; and the biggest session as server mode spools it (no
# PreToolUse/PostToolUse lines: every call read from the transcript). Prints Markdown for BENCHMARKS.md.
#
# Usage:  bench/flush-bench.sh
# Env:    RUNS=3                       runs per measurement (median reported)
#         SIZES=1000x5,10000x50        events x transcript MB (the default); the generator cannot go
#                                      below ~1.7 KB of transcript per event (10k events: ~17 MB)
#         JAR=path/to/infinium.jar     benchmark another build (e.g. the one before this change)
#         FLUSH_JVM_FLAGS="..."        the worker's JVM flags (default: hook/DetachedJvm's)
#         JAVA=/path/to/bin/java
#         BENCH_KEEP=1                 keep the work directory (sessions, state, history) for a look
# Everything happens in a throwaway directory (removed at exit): sessions, state, outbox and a
# loopback receiver on 127.0.0.1; nothing of the user's is read or sent anywhere.
set -u
here=$(cd -P -- "$(dirname -- "$0")" && pwd -P) || exit 1
root=${here%/*}
[ -x /usr/bin/time ] || { echo "flush-bench: /usr/bin/time is needed (Debian: apt-get install time)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "flush-bench: python3 is needed" >&2; exit 1; }
if [ -z "${JAR-}" ] && [ ! -f "$root/target/infinium.jar" ]; then
    echo "flush-bench: building target/infinium.jar (mvn -q -B -DskipTests package)..." >&2
    (cd "$root" && mvn -q -B -DskipTests package) >&2 || { echo "flush-bench: build failed" >&2; exit 1; }
fi
exec python3 "$here/flush-bench.py"
