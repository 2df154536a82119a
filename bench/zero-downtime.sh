#!/usr/bin/env bash
# Zero-downtime benchmark of expand/contract (issue 13). A table `accounts(id, name, qty)` of ROWS rows (default
# 5,000,000); 4 writers of the OLD release (single-row UPDATE/INSERT through the old column) and 4 of the NEW
# release (through the new column) plus readers of each, unthrottled, while the change runs:
#   stepwise  `stepwise up` (expand + backfill) → both releases run OVERLAP s → the old release stops →
#             `stepwise complete` → the new release runs TAIL s more
#   naive     the plain ALTER on a connection (no lock timeout) at the same moment, same load and timeline
# for (a) a column rename and (b) integer → bigint on PostgreSQL, and (b) on MariaDB (plain: MODIFY, which
# copies the table). Reported per run: writers' p99/max latency, failed statements of each release, durations,
# and a final check that every row holds the last value its writer wrote.
# Goals (stepwise runs): writers' max < 200 ms, 0 failed statements, 0 wrong rows.
# Then the sync triggers' cost: single-row UPDATE throughput with the expand-phase triggers against without,
# on PostgreSQL and MariaDB. Goal: ≥ 70%.
#
# It starts throwaway PostgreSQL 15 and MariaDB servers of its own (127.0.0.1, free ports, no fsync) and
# removes them on exit, Ctrl-C or failure. Run it on a quiet machine.
#
# Environment knobs:
#   ROWS=5000000 OVERLAP=10 TAIL=5   table size, seconds both releases run, seconds after complete
#   OVERHEAD_ROWS=1000000 OVERHEAD_SECONDS=10
#   SKIP_PUBLISH=1 SKIP_BUILD=1      reuse bench/out/stepwise/stepwise and bench/out/zerodowntime
#   SKIP_MARIADB=1 SKIP_NAIVE=1 SKIP_OVERHEAD=1 SKIP_STEPWISE=1
#   CASES="rename type"               which PostgreSQL cases run (MariaDB runs `type`)
#   RATE=0                            statements/s per client (0: unthrottled, which saturates a small machine's
#                                     CPU: latency then measures CPU scheduling, not the migration's locks)
#   CONTROL=1 PACE=0                  also a control run per case: a plain batched UPDATE of every row (no
#                                     stepwise), pausing PACE x each batch's duration after it
#   NICE=1 BATCH_TIME=50ms            passed to `stepwise up` as --nice-ratio / --batch-time (default: stepwise's)
#   STEPWISE_BIN=path                 a stepwise binary to use instead of publishing one (e.g. a Debug build)
#   MARIADB_REDO=2G                   the MariaDB server's innodb_log_file_size (its redo log). A backfill rewrites
#                                     every row; with a redo log smaller than its write burst InnoDB stops all writes
#                                     while it flushes (measured at 5M rows: 256M → slowest write 343 ms, every
#                                     writer stalled together; 2G → 175 ms)
#   AUTOGROUP=keep                    leave the kernel's autogroup scheduling on (see below)
#   LOCK_TIMEOUT=100ms                passed to `stepwise up`/`complete` as --lock-timeout (default: stepwise's 500ms)
# Exit: 0 every goal met, 1 a goal missed, 2 setup failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROWS=${ROWS:-5000000}
OVERLAP=${OVERLAP:-10}
TAIL=${TAIL:-5}
OVERHEAD_ROWS=${OVERHEAD_ROWS:-1000000}
OVERHEAD_SECONDS=${OVERHEAD_SECONDS:-10}
OUT=bench/out
STEPWISE=${STEPWISE_BIN:-$OUT/stepwise/stepwise}
BIN=$OUT/zerodowntime
WORK=$OUT/zero-downtime

source bench/lib.sh
while read -r var; do unset "$var"; done < <(env | awk -F= '/^PG[A-Z]*=/ { print $1 }')
export LC_ALL=C DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
mkdir -p "$OUT" "$WORK"
: > "$WORK/stepwise.log"

MY_DIR=
MY_PID=
AUTOGROUP_WAS=
bench_before_cleanup() {
    if [ -n "$MY_PID" ]; then kill "$MY_PID" 2>/dev/null || true; wait "$MY_PID" 2>/dev/null || true; fi
    [ -z "$MY_DIR" ] || rm -rf "$MY_DIR"
    [ -z "$AUTOGROUP_WAS" ] || echo "$AUTOGROUP_WAS" > /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || true
}

# The kernel's autogroup scheduler (CONFIG_SCHED_AUTOGROUP, on in Debian's kernels) shares the CPU equally between
# sessions, not processes: the database server (pg_ctl and this script start it in a session of its own) gets the
# same share as this load generator, and on 2 cores single backends then wait for the CPU for hundreds of ms (measured:
# 2M-row rename, unthrottled, slowest write 520-1,300 ms with autogroup, 108-136 ms without; a plain batched UPDATE
# with no stepwise at all: 267-424 ms with it). In production the application runs on other machines than the
# database, so the run turns autogroup off (root only) and restores it on exit. AUTOGROUP=keep leaves it as it is.
AG=/proc/sys/kernel/sched_autogroup_enabled
if [ "${AUTOGROUP:-off}" != keep ] && [ -w "$AG" ] && [ "$(cat "$AG")" = 1 ]; then
    AUTOGROUP_WAS=1
    trap bench_before_cleanup EXIT # until pg_start's own trap, which calls it too
    echo 0 > "$AG"
    say "== kernel autogroup scheduling off for this run (restored on exit; AUTOGROUP=keep to leave it on)"
elif [ -r "$AG" ] && [ "$(cat "$AG")" = 1 ]; then
    say "== note: kernel autogroup scheduling is on: the server and this load generator share the CPU per session, which adds scheduling stalls to the latencies"
fi

# mariadb_start: a throwaway MariaDB on 127.0.0.1 (sets MY_PORT)
mariadb_start() {
    local install server as_root=()
    install=$(command -v mariadb-install-db || command -v mysql_install_db) || die "mariadb-install-db not found (apt-get install -y mariadb-server)"
    server=$(command -v mariadbd || ls /usr/sbin/mariadbd 2>/dev/null) || die "mariadbd not found"
    [ "$(id -u)" != 0 ] || as_root=(--user=root)
    MY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/stepwise-bench-mariadb-XXXXXX")
    local tuning=(--innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-buffer-pool-size=1G --innodb-log-file-size="${MARIADB_REDO:-2G}")
    say "== starting a throwaway MariaDB server"
    "$install" --no-defaults --datadir="$MY_DIR/data" --auth-root-authentication-method=normal --skip-test-db \
        --skip-name-resolve --tmpdir="$MY_DIR" "${as_root[@]}" >"$MY_DIR/install.log" 2>&1 || { cat "$MY_DIR/install.log" >&2; die "mariadb-install-db failed"; }
    printf "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';\nGRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\nCREATE DATABASE IF NOT EXISTS bench;\n" > "$MY_DIR/init.sql"
    MY_PORT=$(free_port)
    "$server" --no-defaults "${as_root[@]}" --datadir="$MY_DIR/data" --port="$MY_PORT" --bind-address=127.0.0.1 \
        --socket="$MY_DIR/mariadb.sock" --pid-file="$MY_DIR/mariadbd.pid" --log-error="$MY_DIR/mariadbd.err" \
        --tmpdir="$MY_DIR" --init-file="$MY_DIR/init.sql" --skip-name-resolve --character-set-server=utf8mb4 \
        --performance-schema=ON --max-connections=200 "${tuning[@]}" &
    MY_PID=$!
    local i
    for i in $(seq 1 120); do
        if python3 - "$MY_PORT" <<'PY' 2>/dev/null; then break; fi
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.close()
PY
        sleep 0.5
    done
    sleep 1
    say "   MariaDB $("$server" --version | awk '{print $3}') on 127.0.0.1:$MY_PORT"
}

[ -n "${STEPWISE_BIN:-}" ] || publish_aot "$STEPWISE"
if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -f "$BIN/ZeroDowntime.dll" ]; then
    say "== building bench/ZeroDowntime (Release)"
    dotnet build bench/ZeroDowntime -c Release -o "$BIN" -v quiet -nologo >"$OUT/zerodowntime-build.log" 2>&1 \
        || { cat "$OUT/zerodowntime-build.log" >&2; die "build failed"; }
fi
driver() { dotnet "$BIN/ZeroDowntime.dll" "$@"; }

pg_start zero-downtime <<'EOF'
shared_buffers = 1GB
max_connections = 200
shared_preload_libraries = 'pg_stat_statements'
EOF
"$PSQL" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c 'CREATE DATABASE bench' >/dev/null
PG_CS="Host=127.0.0.1;Port=$PORT;Username=postgres;Database=bench;Pooling=false;Timeout=60"
PG_URL="postgres://postgres@127.0.0.1:$PORT/bench"

RESULTS=()
FAILED=0
run() { # ENGINE CS URL CASE MODE
    local out rc=0 vm=
    # the machine's view (CPU user/system/wait/steal, blocked processes, dirty writeback) beside the monitor's
    if command -v vmstat >/dev/null; then vmstat -t 1 > "$WORK/$1-$4-$5-vmstat.log" 2>&1 & vm=$!; fi
    out=$(driver run --engine "$1" --cs "$2" --url "$3" --stepwise "$STEPWISE" --case "$4" --mode "$5" --rows "$ROWS" \
        --overlap "$OVERLAP" --tail "$TAIL" --work "$WORK" ${LOCK_TIMEOUT:+--lock-timeout "$LOCK_TIMEOUT"} ${PACE:+--pace "$PACE"} ${RATE:+--rate "$RATE"} ${NICE:+--nice-ratio "$NICE"} ${BATCH_TIME:+--batch-time "$BATCH_TIME"}) || rc=$?
    [ -z "$vm" ] || { kill "$vm" 2>/dev/null; wait "$vm" 2>/dev/null || true; }
    printf '%s\n' "$out"
    RESULTS+=("$(printf '%s\n' "$out" | grep '^RESULT' || echo "RESULT engine=$1 case=$4 mode=$5 missing")")
    if [ "$5" = stepwise ] && [ "$rc" != 0 ]; then FAILED=1; fi
}

for c in ${CASES:-rename type}; do
    [ "${SKIP_STEPWISE:-0}" = 1 ] || run postgres "$PG_CS" "$PG_URL" "$c" stepwise
    [ "${SKIP_NAIVE:-0}" = 1 ] || run postgres "$PG_CS" "$PG_URL" "$c" naive
    [ "${CONTROL:-0}" != 1 ] || run postgres "$PG_CS" "$PG_URL" "$c" control
done
if [ "${SKIP_OVERHEAD:-0}" != 1 ]; then
    out=$(driver overhead --engine postgres --cs "$PG_CS" --url "$PG_URL" --stepwise "$STEPWISE" --rows "$OVERHEAD_ROWS" --seconds "$OVERHEAD_SECONDS" --work "$WORK") || FAILED=1
    printf '%s\n' "$out"; RESULTS+=("$(printf '%s\n' "$out" | grep '^RESULT' || true)")
fi

if [ "${SKIP_MARIADB:-0}" != 1 ]; then
    mariadb_start
    MY_CS="Server=127.0.0.1;Port=$MY_PORT;User ID=root;Database=bench;Pooling=false;Default Command Timeout=300"
    MY_URL="mysql://root@127.0.0.1:$MY_PORT/bench"
    run mariadb "$MY_CS" "$MY_URL" type stepwise
    [ "${SKIP_NAIVE:-0}" = 1 ] || run mariadb "$MY_CS" "$MY_URL" type naive
    if [ "${SKIP_OVERHEAD:-0}" != 1 ]; then
        out=$(driver overhead --engine mariadb --cs "$MY_CS" --url "$MY_URL" --stepwise "$STEPWISE" --rows "$OVERHEAD_ROWS" --seconds "$OVERHEAD_SECONDS" --work "$WORK") || FAILED=1
        printf '%s\n' "$out"; RESULTS+=("$(printf '%s\n' "$out" | grep '^RESULT' || true)")
    fi
fi

echo
echo "zero-downtime: $ROWS rows, overlap ${OVERLAP}s, tail ${TAIL}s (stepwise's commands are logged in $WORK/stepwise.log)"
printf '%s\n' "${RESULTS[@]}"
if [ "$FAILED" = 0 ]; then echo "RESULT: PASS"; else echo "RESULT: FAIL"; fi
exit "$FAILED"
