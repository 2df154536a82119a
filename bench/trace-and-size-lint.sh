#!/usr/bin/env bash
# Whole-process benchmark of the commands that ask the database itself (NativeAOT binary):
#   1. `stepwise trace --dir examples/unsafe --rows 100000`: wall time including the throwaway PostgreSQL
#      server's start and removal. Goal: under 60 s.
#   2. `stepwise lint examples/unsafe --database URL` against plain `stepwise lint examples/unsafe`, the database
#      holding examples/unsafe's tables with 100,000 analysed rows each. Goal: adds under 150 ms (median of RUNS).
#
# Environment knobs:
#   ROWS=100000      rows per table for both parts
#   RUNS=15          timed runs per lint variant (after 2 warm-ups)
#   SKIP_PUBLISH=1   reuse bench/out/stepwise/stepwise if it exists
# Exit: 0 both goals met, 1 a goal missed, 2 setup failed. Run it on a quiet machine.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

OUT=bench/out
ROWS=${ROWS:-100000}
RUNS=${RUNS:-15}
STEPWISE=$OUT/stepwise/stepwise
FAILED=0

source bench/lib.sh
mkdir -p "$OUT"
publish_aot "$STEPWISE"

# --- 1. trace ----------------------------------------------------------------------------------------
say "== stepwise trace --dir examples/unsafe --rows $ROWS (throwaway local PostgreSQL included)"
start=$(date +%s.%N)
set +e
"$STEPWISE" trace --dir examples/unsafe --rows "$ROWS" > "$OUT/trace-unsafe.txt" 2>&1
trace_rc=$?
set -e
trace_s=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
tail -n 3 "$OUT/trace-unsafe.txt" >&2
# exit 0: every lock/rewrite finding confirmed, nothing unreported; 1 would be a disagreement; 2 a failure
trace_verdict=$(python3 -c "import sys; print('PASS' if sys.argv[2] == '0' and float(sys.argv[1]) < 60 else 'FAIL')" "$trace_s" "$trace_rc")
[ "$trace_verdict" = PASS ] || FAILED=1
echo "trace examples/unsafe, $ROWS rows per table: ${trace_s} s (exit $trace_rc; output in $OUT/trace-unsafe.txt)"

# --- 2. lint --database ------------------------------------------------------------------------------
pg_start size-lint </dev/null
URL="postgres://postgres@127.0.0.1:$PORT/postgres"
# examples/unsafe's first migration's tables, filled and analysed so the catalog has sizes
"$PSQL" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -f examples/unsafe/20240101000000_create_users.up.sql >/dev/null
"$PSQL" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "
INSERT INTO users (email, username) SELECT 'u' || g || '@example.com', 'user' || g FROM generate_series(1, $ROWS) g;
INSERT INTO orders (user_id) SELECT g FROM generate_series(1, $ROWS) g;
ANALYZE users; ANALYZE orders;" >/dev/null

time_runs() { # label, command…: prints the median wall time in ms of RUNS runs
    local label=$1; shift
    python3 - "$RUNS" "$@" <<'PY'
import subprocess, sys, time, statistics
runs = int(sys.argv[1]); cmd = sys.argv[2:]
for _ in range(2):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
print(f"{statistics.median(times):.1f}")
PY
}
say "== lint examples/unsafe, $RUNS runs each, with and without --database"
"$STEPWISE" lint examples/unsafe --database "$URL" > "$OUT/lint-database.txt" 2>&1 || true
grep -q "rows" "$OUT/lint-database.txt" || { cat "$OUT/lint-database.txt" >&2; die "lint --database printed no table size"; }
plain_ms=$(time_runs plain "$STEPWISE" lint examples/unsafe)
db_ms=$(time_runs database "$STEPWISE" lint examples/unsafe --database "$URL")
added_ms=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$plain_ms" "$db_ms")
lint_verdict=$(python3 -c "import sys; print('PASS' if float(sys.argv[1]) < 150 else 'FAIL')" "$added_ms")
[ "$lint_verdict" = PASS ] || FAILED=1
echo "lint examples/unsafe: ${plain_ms} ms; with --database (PostgreSQL $SERVER_VERSION, 2 tables of $ROWS rows): ${db_ms} ms; added ${added_ms} ms (medians of $RUNS)"
grep -m 2 "rows" "$OUT/lint-database.txt" || true

echo "RESULT trace_unsafe_rows=$ROWS trace_s=$trace_s exit=$trace_rc goal<60s $trace_verdict"
echo "RESULT lint_database_added_ms=$added_ms plain_ms=$plain_ms database_ms=$db_ms goal<150ms $lint_verdict"
exit "$FAILED"
