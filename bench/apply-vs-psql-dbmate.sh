#!/usr/bin/env bash
# Whole-process benchmark: `stepwise up` (NativeAOT) applying 1,000 small migrations to a fresh PostgreSQL
# 15 database, against `psql -1 -f` of the same SQL concatenated (the floor: one connection, one
# transaction, no bookkeeping) and against dbmate (one transaction per migration, like stepwise).
# Goals: stepwise <= 1.5x psql, and stepwise faster than dbmate.
#
# It starts a throwaway PostgreSQL 15 server of its own (127.0.0.1, a free port, fsync off) and stops and
# deletes it on exit, Ctrl-C or failure. Every timed run gets a freshly created database.
#
# Environment knobs:
#   RUNS=5 WARMUP=1      timed runs and warm-up runs per tool
#   COUNT=1000 SEED=7    number of migrations and generator seed
#   SKIP_PUBLISH=1       reuse bench/out/stepwise/stepwise if it exists
#   DBMATE_VERSION=2.36.0
#   KEEP_SERVER=1        leave the server running at the end (prints how to connect and stop it)
# Exit: 0 both goals met, 1 a goal missed or a tool failed to apply the migrations, 2 setup failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

OUT=bench/out
CORPUS=$OUT/apply
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
COUNT=${COUNT:-1000}
SEED=${SEED:-7}
DBMATE_VERSION=${DBMATE_VERSION:-2.36.0}
STEPWISE=$OUT/stepwise/stepwise
PSQL_GOAL=1.5

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

mkdir -p "$OUT"
OUT_ABS=$(cd "$OUT" && pwd)
command -v python3 >/dev/null || die "python3 is required"
# No PG* settings from the caller's shell may change what the tools connect to.
while read -r var; do unset "$var"; done < <(env | awk -F= '/^PG[A-Z]*=/ { print $1 }')
unset DATABASE_URL
export LC_ALL=C

# --- 1. corpus -------------------------------------------------------------------------------------
say "== generating $COUNT migrations (seed $SEED) into $CORPUS"
read -r MIGRATIONS STATEMENTS LINES < <(python3 bench/gen_apply_corpus.py --out "$CORPUS" --count "$COUNT" --seed "$SEED")

# --- 2. PostgreSQL 15 binaries ---------------------------------------------------------------------
find_pg_bindir() {
    local dir
    if command -v dpkg >/dev/null; then
        dir=$(dpkg -L postgresql-15 2>/dev/null | grep '/bin/initdb$' | head -n 1 || true)
        if [ -n "$dir" ]; then dirname "$dir"; return; fi
    fi
    if command -v pg_config >/dev/null; then
        dir=$(pg_config --bindir)
        if [ -x "$dir/postgres" ] && "$dir/postgres" --version | grep -q ') 15\.'; then echo "$dir"; return; fi
    fi
    return 1
}
PG_BIN=$(find_pg_bindir) || die "PostgreSQL 15 server binaries not found (apt-get install -y postgresql-15)"
for tool in initdb pg_ctl postgres; do [ -x "$PG_BIN/$tool" ] || die "$PG_BIN/$tool is missing"; done
# psql: the one next to the server if there is one, else the client on the search path
PSQL=$PG_BIN/psql
[ -x "$PSQL" ] || PSQL=$(command -v psql) || die "psql not found (apt-get install -y postgresql-client-15)"

# --- 3. throwaway server ---------------------------------------------------------------------------
# PostgreSQL refuses to run as root: then its tools run as the postgres account in a folder it owns.
AS_PG=()
if [ "$(id -u)" = 0 ]; then
    id -u postgres >/dev/null 2>&1 || die "running as root and there is no postgres account to run the server as"
    AS_PG=(runuser -u postgres --)
fi
PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/stepwise-bench-pg-XXXXXX")
DATA=$PG_DIR/data
PG_STARTED=0
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ "${KEEP_SERVER:-0}" = 1 ] && [ "$PG_STARTED" = 1 ]; then
        say "== KEEP_SERVER=1: server left running on 127.0.0.1:$PORT (stop: ${AS_PG[*]} $PG_BIN/pg_ctl -D $DATA -m immediate stop)"
        exit "$rc"
    fi
    if [ -f "$DATA/postmaster.pid" ]; then
        "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w -t 30 -s stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_DIR"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
[ ${#AS_PG[@]} -eq 0 ] || chown postgres: "$PG_DIR"

say "== starting a throwaway PostgreSQL 15 server ($PG_BIN)"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync \
    --no-instructions >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
"${AS_PG[@]}" tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# throwaway benchmark server (bench/apply-vs-psql-dbmate.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
# psql -1 holds the locks of all 1,000 migrations until its single commit
max_locks_per_transaction = 1024
EOF
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
for attempt in 1 2 3 4 5; do
    PORT=$(free_port)
    if "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -l "$PG_DIR/postgres.log" -w -t 60 -s -o "-p $PORT" start >/dev/null 2>&1; then
        PG_STARTED=1
        break
    fi
    # another process took the port between the probe and the bind: try another
    grep -q 'Address already in use' "$PG_DIR/postgres.log" 2>/dev/null && [ "$attempt" -lt 5 ] && continue
    cat "$PG_DIR/postgres.log" >&2 || true
    die "PostgreSQL did not start"
done
[ "$PG_STARTED" = 1 ] || die "PostgreSQL did not start"
SERVER_VERSION=$("$PSQL" -X -A -t -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c 'SHOW server_version')
say "   PostgreSQL $SERVER_VERSION on 127.0.0.1:$PORT"

# Drops and re-creates one database; hyperfine runs it (--prepare) before every run of a tool.
RECREATE=$OUT_ABS/recreate-db.sh
cat >"$RECREATE" <<EOF
#!/bin/sh
set -e
exec "$PSQL" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $PORT -U postgres -d postgres \\
    -c "DROP DATABASE IF EXISTS \$1" -c "CREATE DATABASE \$1"
EOF
chmod +x "$RECREATE"
url() { echo "postgres://postgres@127.0.0.1:$PORT/$1?sslmode=disable"; }

# --- 4. dbmate -------------------------------------------------------------------------------------
NPM_DIR=$OUT/npm
DBMATE=$(find "$NPM_DIR/node_modules/@dbmate" -path '*/bin/dbmate' -type f 2>/dev/null | head -n 1 || true)
if [ -z "$DBMATE" ] || ! "$DBMATE" --version 2>/dev/null | grep -qF "$DBMATE_VERSION"; then
    command -v npm >/dev/null || die "npm is required to install dbmate"
    say "== installing dbmate@$DBMATE_VERSION into $NPM_DIR"
    npm install --silent --prefix "$NPM_DIR" "dbmate@$DBMATE_VERSION" >&2
    DBMATE=$(find "$NPM_DIR/node_modules/@dbmate" -path '*/bin/dbmate' -type f 2>/dev/null | head -n 1 || true)
fi
# the npm entry point is a node script that spawns this native binary: time the binary itself
[ -n "$DBMATE" ] && [ -x "$DBMATE" ] || die "the dbmate binary was not installed"
DBMATE_REPORTED=$("$DBMATE" --version 2>/dev/null | awk '{ print $NF }')

# --- 5. stepwise (NativeAOT) -----------------------------------------------------------------------
if [ "${SKIP_PUBLISH:-0}" = 1 ] && [ -x "$STEPWISE" ]; then
    say "== reusing $STEPWISE"
else
    say "== publishing the stepwise CLI with NativeAOT"
    extra=()
    # NativeAOT links with clang; Debian ships it as clang-<version> without the plain name.
    if ! command -v clang >/dev/null; then
        for c in clang-19 clang-18 clang-17 clang-16 clang-15 clang-14; do
            if command -v "$c" >/dev/null; then extra+=("-p:CppCompilerAndLinker=$c"); break; fi
        done
    fi
    dotnet publish src/Stepwise.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$OUT/stepwise" \
        -nologo -v quiet "${extra[@]}" >&2 || die "dotnet publish failed"
fi
[ -x "$STEPWISE" ] || die "$STEPWISE was not produced"

# --- 6. the three commands -------------------------------------------------------------------------
# stepwise: the default `up` (lint gate on, lock, journal, one transaction per migration, lock timeout).
# dbmate: `migrate` (not `up`, which would also create the database) without the schema dump, which
# needs pg_dump and is not part of applying. psql: the floor, everything in one transaction.
STEPWISE_CMD=("$STEPWISE" up --database "$(url bench_stepwise)" --dir "$CORPUS/stepwise")
DBMATE_CMD=("$DBMATE" --url "$(url bench_dbmate)" --migrations-dir "$CORPUS/dbmate" --no-dump-schema migrate)
PSQL_CMD=("$PSQL" -X -q -1 -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d bench_psql -f "$CORPUS/all.sql")

# --- 7. sanity: each tool applies everything once, and the three schemas agree ----------------------
query() { "$PSQL" -X -A -t -q -h 127.0.0.1 -p "$PORT" -U postgres -d "$1" -c "$2"; }
SCHEMA_SQL="SELECT count(*) FILTER (WHERE relkind = 'r') || ' tables, ' || count(*) FILTER (WHERE relkind = 'i') || ' indexes, '
  || count(*) FILTER (WHERE relkind = 'v') || ' views' FROM pg_class WHERE relnamespace = 'public'::regnamespace
  AND relname NOT IN ('stepwise_migrations', 'schema_migrations', 'stepwise_migrations_pkey', 'schema_migrations_pkey')"
FAILED=0
check_tool() { # name database journal-sql command...; sets SCHEMA
    local name=$1 db=$2 journal=$3 rc recorded
    shift 3
    SCHEMA=failed
    "$RECREATE" "$db"
    set +e
    "$@" >"$OUT/apply-$name.log" 2>&1
    rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then
        say "FAIL: $name exited $rc: $(tail -c 600 "$OUT/apply-$name.log")"
        FAILED=1
        return
    fi
    SCHEMA=$(query "$db" "$SCHEMA_SQL")
    recorded=$MIGRATIONS
    [ -z "$journal" ] || recorded=$(query "$db" "$journal")
    if [ "$recorded" != "$MIGRATIONS" ]; then
        say "FAIL: $name recorded $recorded of $MIGRATIONS migrations"
        FAILED=1
    fi
}
say "== checking that each tool applies all $MIGRATIONS migrations"
check_tool psql bench_psql "" "${PSQL_CMD[@]}"; PSQL_SCHEMA=$SCHEMA
check_tool stepwise bench_stepwise "SELECT count(*) FROM stepwise_migrations WHERE state = 'applied'" "${STEPWISE_CMD[@]}"; STEPWISE_SCHEMA=$SCHEMA
check_tool dbmate bench_dbmate "SELECT count(*) FROM schema_migrations" "${DBMATE_CMD[@]}"; DBMATE_SCHEMA=$SCHEMA
say "   psql: $PSQL_SCHEMA; stepwise: $STEPWISE_SCHEMA; dbmate: $DBMATE_SCHEMA"
if [ "$PSQL_SCHEMA" != "$STEPWISE_SCHEMA" ] || [ "$PSQL_SCHEMA" != "$DBMATE_SCHEMA" ]; then
    say "FAIL: the tools left different schemas"
    FAILED=1
fi
if [ "$FAILED" != 0 ]; then
    say "== not timing: a tool did not apply the migrations"
    exit 1
fi

# --- 8. wall time, each run on a fresh database ----------------------------------------------------
declare -A MEAN SD
if command -v hyperfine >/dev/null; then
    say "== timing with hyperfine ($WARMUP warm-up, $RUNS runs each, a fresh database before every run)"
    quote() { printf '%q ' "$@"; }
    # --prepare is given once per command, in the same order as the commands
    hyperfine --shell=none --warmup "$WARMUP" --runs "$RUNS" --style basic --export-json "$OUT/apply-hyperfine.json" \
        --prepare "$RECREATE bench_psql" -n psql "$(quote "${PSQL_CMD[@]}")" \
        --prepare "$RECREATE bench_stepwise" -n stepwise "$(quote "${STEPWISE_CMD[@]}")" \
        --prepare "$RECREATE bench_dbmate" -n dbmate "$(quote "${DBMATE_CMD[@]}")" >&2
    while read -r name mean sd; do MEAN[$name]=$mean; SD[$name]=$sd; done < <(python3 - "$OUT/apply-hyperfine.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"], r["mean"], r["stddev"] or 0)
PY
)
else
    say "== timing with a shell loop ($WARMUP warm-up, $RUNS runs each; install hyperfine for better numbers)"
    time_loop() { # database command...
        local db=$1 i t0 t1 samples=()
        shift
        for ((i = 0; i < WARMUP + RUNS; i++)); do
            "$RECREATE" "$db"
            t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
            [ "$i" -ge "$WARMUP" ] && samples+=("$(python3 -c "print($t1 - $t0)")")
        done
        python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print(statistics.mean(v), statistics.stdev(v) if len(v) > 1 else 0)' "${samples[@]}"
    }
    read -r MEAN[psql] SD[psql] < <(time_loop bench_psql "${PSQL_CMD[@]}")
    read -r MEAN[stepwise] SD[stepwise] < <(time_loop bench_stepwise "${STEPWISE_CMD[@]}")
    read -r MEAN[dbmate] SD[dbmate] < <(time_loop bench_dbmate "${DBMATE_CMD[@]}")
fi

# --- 9. report -------------------------------------------------------------------------------------
python3 - "$MIGRATIONS" "$STATEMENTS" "$LINES" "$SERVER_VERSION" "$DBMATE_REPORTED" "$RUNS" "$FAILED" "$PSQL_GOAL" \
    "${MEAN[psql]}" "${SD[psql]}" "${MEAN[stepwise]}" "${SD[stepwise]}" "${MEAN[dbmate]}" "${SD[dbmate]}" \
    "$OUT/apply-vs-psql-dbmate.json" <<'PY'
import json, math, sys
(migrations, statements, lines, server, dbmate_version, runs, failed, goal,
 psql, psql_sd, sw, sw_sd, dm, dm_sd, out) = sys.argv[1:]
psql, psql_sd, sw, sw_sd, dm, dm_sd, goal = map(float, (psql, psql_sd, sw, sw_sd, dm, dm_sd, goal))
ratio = lambda a, b: a / b if b > 0 and not math.isnan(b) else float("nan")
sw_psql, sw_dm = ratio(sw, psql), ratio(sw, dm)
applied_ok = failed == "0"
psql_ok = applied_ok and sw_psql <= goal
dbmate_ok = applied_ok and sw < dm
verdict = lambda ok: "PASS" if ok else "FAIL"
print("apply-vs-psql-dbmate  (%s migrations, %s statements, PostgreSQL %s, %s runs each)" % (migrations, statements, server, runs))
print("  %-10s %10s %10s %12s" % ("tool", "mean s", "stddev s", "x psql"))
for name, mean, sd in (("psql -1", psql, psql_sd), ("stepwise", sw, sw_sd), ("dbmate", dm, dm_sd)):
    print("  %-10s %10.3f %10.3f %12.2f" % (name, mean, sd, ratio(mean, psql)))
print("  ratio stepwise/psql     %.2f   goal <= %.1f   %s" % (sw_psql, goal, verdict(psql_ok)))
print("  ratio stepwise/dbmate   %.2f   goal <  1.0   %s   [dbmate %s]" % (sw_dm, verdict(dbmate_ok), dbmate_version))
if not applied_ok:
    print("  applied                 FAIL (a tool did not apply every migration; see above)")
ok = psql_ok and dbmate_ok
print("RESULT: " + verdict(ok))
json.dump({"migrations": int(migrations), "statements": int(statements), "lines": int(lines), "postgres": server,
           "dbmate_version": dbmate_version, "runs": int(runs),
           "psql_mean_s": psql, "psql_stddev_s": psql_sd, "stepwise_mean_s": sw, "stepwise_stddev_s": sw_sd,
           "dbmate_mean_s": dm, "dbmate_stddev_s": dm_sd, "ratio_stepwise_psql": sw_psql,
           "ratio_stepwise_dbmate": sw_dm, "psql_goal": psql_ok, "dbmate_goal": dbmate_ok, "applied_ok": applied_ok},
          open(out, "w"), indent=2)
sys.exit(0 if ok else 1)
PY
