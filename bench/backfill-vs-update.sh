#!/usr/bin/env bash
# `stepwise backfill` against one single UPDATE of the same change, on a throwaway PostgreSQL 15 server.
# Measures rows/s of both at ROWS_SMALL and ROWS_LARGE rows, and the latency of a concurrent writer load
# (pgbench: single-row UPDATEs and INSERTs on the same table) during each. Goals:
#   backfill rows/s >= 50% of the single UPDATE's (at ROWS_LARGE)
#   backfill rows/s at ROWS_LARGE >= 80% of its rows/s at ROWS_SMALL
#   writers' max latency during the backfill < 200 ms
#
# Environment knobs:
#   ROWS_SMALL=1000000 ROWS_LARGE=10000000   table sizes
#   LOAD_ROWS=$ROWS_SMALL                    table size for the writer-latency runs
#   BATCH_TIME=100ms                         the backfill's --batch-time (a writer waits at most one batch)
#   CLIENTS=4 RATE=200                       pgbench clients and total transactions/s of the writer load
#   SKIP_PUBLISH=1                           reuse bench/out/stepwise-jit/stepwise.dll
#   KEEP_SERVER=1                            leave the server running at the end
# Exit: 0 all goals met, 1 a goal missed or a result was wrong, 2 setup failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

OUT=bench/out
ROWS_SMALL=${ROWS_SMALL:-1000000}
ROWS_LARGE=${ROWS_LARGE:-10000000}
LOAD_ROWS=${LOAD_ROWS:-$ROWS_SMALL}
BATCH_TIME=${BATCH_TIME:-100ms}
CLIENTS=${CLIENTS:-4}
RATE=${RATE:-200}
MAX_LATENCY_MS=200
STEPWISE_DIR=$OUT/stepwise-jit

source bench/lib.sh

mkdir -p "$OUT"
command -v python3 >/dev/null || die "python3 is required (latency percentiles)"

# --- 1. stepwise (JIT build: the backfill is database-bound, start-up is a fraction of a second) -----
if [ "${SKIP_PUBLISH:-0}" = 1 ] && [ -f "$STEPWISE_DIR/stepwise.dll" ]; then
    say "== reusing $STEPWISE_DIR/stepwise.dll"
else
    say "== publishing the stepwise CLI (Release) to $STEPWISE_DIR"
    dotnet publish src/Stepwise.Cli -c Release -o "$STEPWISE_DIR" -nologo -v quiet >&2 || die "dotnet publish failed"
fi
STEPWISE=(dotnet "$ROOT/$STEPWISE_DIR/stepwise.dll")

# --- 2. throwaway server -----------------------------------------------------------------------------
LOAD_PID=
bench_before_cleanup() { [ -z "$LOAD_PID" ] || kill "$LOAD_PID" 2>/dev/null || true; }
pg_start backfill-vs-update <<'EOF'
shared_buffers = 1GB
max_wal_size = 8GB
checkpoint_timeout = 30min
EOF
PGBENCH=$PG_BIN/pgbench
[ -x "$PGBENCH" ] || PGBENCH=$(command -v pgbench) || die "pgbench not found (apt-get install -y postgresql-contrib-15 or postgresql-client)"
URL="postgres://postgres@127.0.0.1:$PORT/postgres"
psql_() { "$PSQL" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d postgres "$@"; }
now() { date +%s.%N; }

# A fresh table of $1 rows: the change under test is v = n * 2; writers touch w and insert new rows.
setup_table() {
    psql_ -c "DROP TABLE IF EXISTS items; DROP SEQUENCE IF EXISTS items_new_id; DELETE FROM stepwise_backfills WHERE true" 2>/dev/null \
        || psql_ -c "DROP TABLE IF EXISTS items; DROP SEQUENCE IF EXISTS items_new_id"
    psql_ <<SQL
CREATE TABLE items (id bigint PRIMARY KEY, n integer NOT NULL, v integer, w integer NOT NULL DEFAULT 0, note text NOT NULL DEFAULT 'x');
INSERT INTO items (id, n) SELECT g, g % 1000 FROM generate_series(1, $1) g;
CREATE SEQUENCE items_new_id START 1000000000000;
VACUUM ANALYZE items;
CHECKPOINT;
SQL
}

check_result() { # label
    local wrong
    wrong=$(psql_ -At -c "SELECT count(*) FROM (SELECT id, n * 2 FROM items WHERE id < 1000000000000 EXCEPT SELECT id, v FROM items) d")
    if [ "$wrong" != 0 ]; then say "WRONG: $1 left $wrong rows without v = n * 2"; RESULT_WRONG=1; fi
}
RESULT_WRONG=0

run_update() { psql_ -c "UPDATE items SET v = n * 2"; }
run_backfill() { # name
    "${STEPWISE[@]}" backfill --database "$URL" --table items --set "v = n * 2" --batch-time "$BATCH_TIME" --name "$1" --format json \
        >"$OUT/backfill-$1.jsonl" || die "stepwise backfill failed: $(tail -n 3 "$OUT/backfill-$1.jsonl")"
}

# --- 3. throughput without load ---------------------------------------------------------------------
declare -A SECS
for rows in "$ROWS_SMALL" "$ROWS_LARGE"; do
    say "== $rows rows: single UPDATE"
    setup_table "$rows"
    t0=$(now); run_update; t1=$(now)
    SECS[update_$rows]=$(python3 -c "print($t1 - $t0)")
    check_result "UPDATE at $rows"
    say "== $rows rows: stepwise backfill --batch-time $BATCH_TIME"
    setup_table "$rows"
    t0=$(now); run_backfill "bench-$rows"; t1=$(now)
    SECS[backfill_$rows]=$(python3 -c "print($t1 - $t0)")
    check_result "backfill at $rows"
    say "   update ${SECS[update_$rows]} s, backfill ${SECS[backfill_$rows]} s"
done

# --- 4. writer latency under each ------------------------------------------------------------------
cat >"$PG_DIR/update.sql" <<'SQL'
\set id random(1, :rows)
UPDATE items SET w = w + 1 WHERE id = :id;
SQL
cat >"$PG_DIR/insert.sql" <<'SQL'
INSERT INTO items (id, n) VALUES (nextval('items_new_id'), 1);
SQL
chmod 644 "$PG_DIR"/*.sql

# Runs the writer load around command $2..., then prints "idle_p99 idle_max during_p99 during_max count" in ms
# for transactions that finished before the command started (idle) and while it ran (during).
with_load() { # label command...
    local label=$1; shift
    local logdir=$PG_DIR/load-$label duration t0 t1
    mkdir -p "$logdir"
    # long enough to outlast the command: twice its unloaded time plus margin; pgbench waits for in-flight
    # transactions at the end, so a writer blocked by the command is still counted
    duration=$(python3 -c "import math; print(int(math.ceil(max(${SECS[update_$LOAD_ROWS]}, ${SECS[backfill_$LOAD_ROWS]}) * 3 + 8)))")
    (cd "$logdir" && exec "$PGBENCH" -n -h 127.0.0.1 -p "$PORT" -U postgres -c "$CLIENTS" -j 1 -R "$RATE" -T "$duration" \
        -D rows="$LOAD_ROWS" -f "$PG_DIR/update.sql@3" -f "$PG_DIR/insert.sql@1" -l --log-prefix=tx postgres \
        >"$logdir/pgbench.out" 2>&1) &
    LOAD_PID=$!
    sleep 3
    t0=$(now); "$@"; t1=$(now)
    wait "$LOAD_PID" || { cat "$logdir/pgbench.out" >&2; die "pgbench failed"; }
    LOAD_PID=
    python3 - "$logdir" "$t0" "$t1" <<'PY'
import glob, sys
d, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
idle, during = [], []
for path in glob.glob(d + "/tx*"):
    for line in open(path):
        f = line.split()
        if len(f) < 6: continue
        lat_ms = int(f[2]) / 1000.0
        end = int(f[4]) + int(f[5]) / 1e6
        start = end - lat_ms / 1000.0
        if end < t0: idle.append(lat_ms)
        elif start < t1: during.append(lat_ms)   # overlapped the command
def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * 0.99))] if xs else float("nan")
print(f"{p99(idle):.1f} {max(idle or [float('nan')]):.1f} {p99(during):.1f} {max(during or [float('nan')]):.1f} {len(during)}")
PY
}

say "== $LOAD_ROWS rows under writer load ($CLIENTS clients, $RATE tx/s): single UPDATE"
setup_table "$LOAD_ROWS"
read -r U_IDLE_P99 U_IDLE_MAX U_P99 U_MAX U_N < <(with_load update run_update)
check_result "UPDATE under load"
say "== $LOAD_ROWS rows under writer load: stepwise backfill"
setup_table "$LOAD_ROWS"
read -r B_IDLE_P99 B_IDLE_MAX B_P99 B_MAX B_N < <(with_load backfill run_backfill bench-load)
check_result "backfill under load"

# --- 5. report ---------------------------------------------------------------------------------------
python3 - "$OUT/backfill-vs-update.json" "$ROWS_SMALL" "$ROWS_LARGE" "$LOAD_ROWS" "$BATCH_TIME" "$CLIENTS" "$RATE" \
    "${SECS[update_$ROWS_SMALL]}" "${SECS[backfill_$ROWS_SMALL]}" "${SECS[update_$ROWS_LARGE]}" "${SECS[backfill_$ROWS_LARGE]}" \
    "$U_IDLE_P99" "$U_IDLE_MAX" "$U_P99" "$U_MAX" "$U_N" "$B_IDLE_P99" "$B_IDLE_MAX" "$B_P99" "$B_MAX" "$B_N" "$RESULT_WRONG" "$MAX_LATENCY_MS" <<'PY'
import json, math, sys
a = sys.argv[1:]
out = a[0]; small, large, load_rows = int(a[1]), int(a[2]), int(a[3]); batch_time, clients, rate = a[4], int(a[5]), int(a[6])
us, bs, ul, bl = map(float, a[7:11])
u_idle_p99, u_idle_max, u_p99, u_max = map(float, a[11:15]); u_n = int(a[15])
b_idle_p99, b_idle_max, b_p99, b_max = map(float, a[16:20]); b_n = int(a[20])
wrong = a[21] == "1"; max_lat = float(a[22])
r = lambda rows, s: rows / s
res = {
    "rows_small": small, "rows_large": large, "load_rows": load_rows, "batch_time": batch_time,
    "writers": {"clients": clients, "rate_tps": rate, "mix": "3 single-row UPDATE : 1 INSERT"},
    "update_rows_per_s": {"small": r(small, us), "large": r(large, ul)},
    "backfill_rows_per_s": {"small": r(small, bs), "large": r(large, bl)},
    "seconds": {"update_small": us, "backfill_small": bs, "update_large": ul, "backfill_large": bl},
    "writer_latency_ms": {
        "idle": {"p99": u_idle_p99, "max": max(u_idle_max, b_idle_max)},
        "during_update": {"p99": u_p99, "max": u_max, "transactions": u_n},
        "during_backfill": {"p99": b_p99, "max": b_max, "transactions": b_n},
    },
}
g1 = r(large, bl) >= 0.5 * r(large, ul)
g2 = r(large, bl) >= 0.8 * r(small, bs)
g3 = not math.isnan(b_max) and b_max < max_lat
res["goals"] = {"backfill_ge_50pct_of_update": g1, "large_ge_80pct_of_small": g2, "writer_max_lt_200ms": g3, "results_correct": not wrong}
res["pass"] = g1 and g2 and g3 and not wrong
json.dump(res, open(out, "w"), indent=2)
P = lambda b: "PASS" if b else "FAIL"
rows = [
    ("", "single UPDATE", "stepwise backfill"),
    (f"rows/s at {small:,} rows", f"{r(small, us):,.0f}", f"{r(small, bs):,.0f}"),
    (f"rows/s at {large:,} rows", f"{r(large, ul):,.0f}", f"{r(large, bl):,.0f}"),
    (f"writers p99 during ({load_rows:,} rows)", f"{u_p99:.1f} ms", f"{b_p99:.1f} ms"),
    (f"writers max during", f"{u_max:.1f} ms", f"{b_max:.1f} ms"),
    (f"writer transactions during", f"{u_n}", f"{b_n}"),
]
print("backfill-vs-update")
for a_, b_, c_ in rows: print(f"  {a_:<38} {b_:>16} {c_:>18}")
print(f"  writers idle p99 / max                 {u_idle_p99:.1f} / {max(u_idle_max, b_idle_max):.1f} ms")
print(f"  goal: backfill >= 50% of UPDATE rows/s at {large:,}   {P(g1)} ({100 * r(large, bl) / r(large, ul):.0f}%)")
print(f"  goal: backfill rows/s at {large:,} >= 80% of at {small:,}   {P(g2)} ({100 * r(large, bl) / r(small, bs):.0f}%)")
print(f"  goal: writers' max latency during backfill < {max_lat:.0f} ms   {P(g3)}")
print(f"  every row correct after each run      {P(not wrong)}")
print(f"RESULT: {P(res['pass'])}")
sys.exit(0 if res["pass"] else 1)
PY
