# shellcheck shell=sh disable=SC2034,SC2154  # sourced: sets variables for, and reads $root/$work of, the caller
# Shared by bench/turn-bench.sh and bench/server-bench.sh (sourced, not run). Needs $root (the
# repository) and $work (the bench's throwaway directory) set, and the isolated per-user
# variables (XDG_*, CONNECTOR_SESSION_DIR) exported before launcher_java is called.

launcher=$root/bin/infinium
jar=$root/target/infinium.jar

# The jar and the test classes, built if missing (not rebuilt otherwise: a rebuilt jar also means
# a new class-data archive, which the launcher creates on the next command).
bench_build() {
    if [ ! -f "$jar" ] || [ ! -d "$root/target/test-classes/ai/infinium/connector/bench" ]; then
        echo "bench: building (mvn -q -B -DskipTests package)..." >&2
        (cd "$root" && mvn -q -B -DskipTests package) >&2 || { echo "bench: build failed" >&2; return 1; }
    fi
}

# The test class path (target/test-classes, target/classes and the test-scope jars) into $cp, from
# the pinned maven-dependency-plugin; offline first, the local repository has them after a build.
bench_classpath() {
    if ! (cd "$root" && mvn -q -o -B dependency:build-classpath -Dmdep.includeScope=test \
            -Dmdep.outputFile="$work/classpath.txt") >"$work/mvn-cp.log" 2>&1; then
        (cd "$root" && mvn -q -B dependency:build-classpath -Dmdep.includeScope=test \
            -Dmdep.outputFile="$work/classpath.txt") >"$work/mvn-cp.log" 2>&1 \
            || { echo "bench: mvn dependency:build-classpath failed:" >&2; cat "$work/mvn-cp.log" >&2; return 1; }
    fi
    cp=$root/target/test-classes:$root/target/classes:$(cat "$work/classpath.txt")
}

# What the launcher runs hooks with: sets java_bin, java_desc, archive_desc (as hook-bench.sh).
launcher_java() {
    lj_payload=$root/bench/payloads/claude-code-2.1.330-PreToolUse.json
    lj_state=''
    lj_n=0
    while [ $lj_n -lt 60 ]; do
        lj_state=$(INFINIUM_NO_FORWARD=1 INFINIUM_LAUNCHER_DEBUG=1 "$launcher" hook --agent claude-code \
            < "$lj_payload" 2>&1 >/dev/null | sed -n 's/^infinium launcher: java //p')
        case $lj_state in *"being created"*|*"in the background"*) sleep 1; lj_n=$((lj_n + 1)) ;; *) break ;; esac
    done
    java_bin=${lj_state%% (Java*}
    java_desc=$("$java_bin" -version 2>&1 | sed -n 2p)
    lj_kind=${lj_state#*), archive }
    case $lj_kind in
        "aot "*"(used)")    archive_desc="AOT cache (-XX:AOTCache), used" ;;
        "dyncds "*"(used)") archive_desc="dynamic CDS archive (-XX:+AutoCreateSharedArchive), used" ;;
        "appcds "*"(used)") archive_desc="AppCDS archive (-XX:SharedArchiveFile), used" ;;
        *"(off)")           archive_desc="none (INFINIUM_NO_ARCHIVE)" ;;
        *)                  archive_desc="NOT used: ${lj_kind}" ;;
    esac
}

machine_desc() {   # -> "2 CPUs, <cpu>, Linux 6.x x86_64"
    md_cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
    [ -n "$md_cpu" ] || md_cpu=$(sysctl -n machdep.cpu.brand_string 2>/dev/null || uname -m)
    md_n=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo "?")
    printf '%s CPUs (nproc), %s, %s %s' "$md_n" "$md_cpu" "$(uname -sr)" "$(uname -m)"
}

loadavg() {
    cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime | sed 's/.*load averages*: *//'
}
