#!/usr/bin/env bash
# Start-up cost of MigrateSafelyAsync when nothing is pending, against EF Core's own MigrateAsync (the example
# app's context and two migrations, examples/efcore). Goal: it adds under 50 ms.
#
# Two figures per database:
#   cold  one call in a fresh process (what an application's start-up pays, JIT included): RUNS processes per
#         method, interleaved; the median of each and their difference
#   warm  both methods alternating ITERATIONS times in one process (the steady cost, without JIT)
# SQLite always (a temp file); PostgreSQL when a PostgreSQL 15 server can be started (bench/lib.sh: a
# throwaway server on 127.0.0.1, fsync off, stopped and deleted on exit).
#
# Environment knobs:
#   RUNS=20 ITERATIONS=200   cold processes per method, warm iterations
#   SKIP_PG=1                SQLite only
#   SKIP_BUILD=1             reuse bench/out/efstartup
# Exit: 0 goal met on every database measured, 1 missed, 2 setup failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
RUNS=${RUNS:-20}
ITERATIONS=${ITERATIONS:-200}
GOAL_MS=50
OUT=bench/out
BIN=$OUT/efstartup

source bench/lib.sh
while read -r var; do unset "$var"; done < <(env | awk -F= '/^PG[A-Z]*=/ { print $1 }')
export LC_ALL=C DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

mkdir -p "$OUT"
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$BIN/EfStartup.dll" ]; then
    say "== building bench/EfStartup (Release)"
    dotnet build bench/EfStartup -c Release -o "$BIN" -v quiet -nologo >"$OUT/efstartup-build.log" 2>&1 \
        || { cat "$OUT/efstartup-build.log" >&2; die "build failed"; }
fi
driver() { dotnet "$BIN/EfStartup.dll" "$@"; }

RESULTS=()
FAILED=0

# measure NAME CONNECTION: prints the figures, appends "NAME cold +Xms warm +Yms" to RESULTS
measure() {
    local name=$1 cs=$2 i ef=() safe=()
    driver setup "$cs" >/dev/null || die "$name: could not apply the example's migrations"
    say "== $name: $RUNS cold processes per method"
    for ((i = 0; i < RUNS; i++)); do
        if ((i % 2 == 0)); then
            safe+=("$(driver safe "$cs" | sed -n 's/^ms=//p')")
            ef+=("$(driver ef "$cs" | sed -n 's/^ms=//p')")
        else
            ef+=("$(driver ef "$cs" | sed -n 's/^ms=//p')")
            safe+=("$(driver safe "$cs" | sed -n 's/^ms=//p')")
        fi
    done
    local cold
    cold=$(python3 - "${ef[*]}" "${safe[*]}" <<'PY'
import statistics, sys
ef = [float(x) for x in sys.argv[1].split()]
safe = [float(x) for x in sys.argv[2].split()]
def line(n, v):
    v = sorted(v)
    return f"{n:<5} n={len(v)} median={statistics.median(v):.2f} p90={v[min(len(v)-1, round(0.9*(len(v)-1)))]:.2f} min={v[0]:.2f} max={v[-1]:.2f} ms"
print(line("ef", ef)); print(line("safe", safe))
print(f"diff {statistics.median(safe) - statistics.median(ef):+.2f}")
PY
)
    say "== $name: warm, $ITERATIONS iterations alternating"
    local warm
    warm=$(driver warm "$cs" "$ITERATIONS")
    echo "--- $name, cold (one call per process, JIT included)"
    echo "$cold" | grep -v '^diff'
    echo "--- $name, warm (one process)"
    echo "$warm"
    local cold_diff warm_diff
    cold_diff=$(echo "$cold" | sed -n 's/^diff //p')
    warm_diff=$(python3 -c 'import re, sys; m={k:float(v) for k,v in re.findall(r"^(\w+) n=\d+ median=([\d.]+)", sys.stdin.read(), re.M)}; print(format(m["safe"] - m["ef"], "+.2f"))' <<<"$warm")
    echo "$name: MigrateSafelyAsync - MigrateAsync, medians: cold ${cold_diff} ms, warm ${warm_diff} ms"
    RESULTS+=("$name cold ${cold_diff}ms warm ${warm_diff}ms")
    if python3 -c "import sys; sys.exit(0 if max(float('$cold_diff'), float('$warm_diff')) < $GOAL_MS else 1)"; then :; else FAILED=1; fi
}

SQLITE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/stepwise-bench-efcore-XXXXXX")
bench_before_cleanup() { rm -rf "$SQLITE_DIR"; }
trap 'rc=$?; bench_before_cleanup; exit $rc' EXIT
measure sqlite "Data Source=$SQLITE_DIR/todo.db"

if [ "${SKIP_PG:-0}" != 1 ] && find_pg_bindir >/dev/null 2>&1; then
    pg_start efcore-startup </dev/null   # replaces the EXIT trap with pg_cleanup, which calls bench_before_cleanup
    "$PSQL" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "CREATE DATABASE bench_ef" >/dev/null
    measure postgres "Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench_ef"
else
    say "== PostgreSQL 15 not available (or SKIP_PG=1): SQLite only"
fi

verdict=PASS
[ "$FAILED" = 0 ] || verdict=FAIL
summary=$(printf '%s; ' "${RESULTS[@]}")
echo "RESULT efcore-startup: ${summary%; } (goal: MigrateSafelyAsync adds < ${GOAL_MS} ms over MigrateAsync with nothing pending) $verdict"
[ "$FAILED" = 0 ] || exit 1
