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

source bench/lib.sh

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

# --- 2. throwaway PostgreSQL 15 server ------------------------------------------------------------
pg_start apply-vs-psql-dbmate <<'EOF'
# psql -1 holds the locks of all 1,000 migrations until its single commit
max_locks_per_transaction = 1024
# no background work in the middle of a timed run
autovacuum = off
EOF

# Drops and re-creates one database: run before every run of a tool.
RECREATE=$OUT_ABS/recreate-db.sh
cat >"$RECREATE" <<EOF
#!/bin/sh
set -e
PGOPTIONS="-c client_min_messages=warning" exec "$PSQL" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $PORT -U postgres -d postgres \\
    -c "DROP DATABASE IF EXISTS \$1" -c "CREATE DATABASE \$1"
EOF
chmod +x "$RECREATE"
url() { echo "postgres://postgres@127.0.0.1:$PORT/$1?sslmode=disable"; }

# --- 3. dbmate -------------------------------------------------------------------------------------
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

# --- 4. stepwise (NativeAOT) -----------------------------------------------------------------------
publish_aot "$STEPWISE"

# --- 5. the three commands -------------------------------------------------------------------------
# stepwise: the default `up` (lint gate on, lock, journal, one transaction per migration, lock timeout).
# dbmate: `migrate` (not `up`, which would also create the database) without the schema dump, which
# needs pg_dump and is not part of applying. psql: the floor, everything in one transaction.
STEPWISE_CMD=("$STEPWISE" up --database "$(url bench_stepwise)" --dir "$CORPUS/stepwise")
DBMATE_CMD=("$DBMATE" --url "$(url bench_dbmate)" --migrations-dir "$CORPUS/dbmate" --no-dump-schema migrate)
PSQL_CMD=("$PSQL" -X -q -1 -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres -d bench_psql -f "$CORPUS/all.sql")

# --- 6. sanity: each tool applies everything once, and the three schemas agree ----------------------
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

# --- 7. wall time, each run on a fresh database; 8. report --------------------------------------------
# A round-robin loop rather than one tool after the other: on a shared machine the load drifts over minutes,
# and a drift should hit the three tools alike. Each round starts with a different tool.
say "== timing: $WARMUP warm-up and $RUNS timed rounds of psql, stepwise and dbmate, a fresh database before every run"
as_json() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }
POSTMASTER=$(head -n 1 "$DATA/postmaster.pid")
python3 - "$RECREATE" "$RUNS" "$WARMUP" "$PSQL_GOAL" "$OUT/apply-vs-psql-dbmate.json" "$POSTMASTER" \
    "$(as_json "${PSQL_CMD[@]}")" "$(as_json "${STEPWISE_CMD[@]}")" "$(as_json "${DBMATE_CMD[@]}")" \
    "$MIGRATIONS" "$STATEMENTS" "$LINES" "$SERVER_VERSION" "$DBMATE_REPORTED" <<'PY'
import json, os, statistics, subprocess, sys, time
(recreate, runs, warmup, goal, out, postmaster, psql_cmd, stepwise_cmd, dbmate_cmd,
 migrations, statements, lines, server, dbmate_version) = sys.argv[1:]
runs, warmup, goal = int(runs), int(warmup), float(goal)
tools = [("psql", "bench_psql", json.loads(psql_cmd)), ("stepwise", "bench_stepwise", json.loads(stepwise_cmd)),
         ("dbmate", "bench_dbmate", json.loads(dbmate_cmd))]
wall = {name: [] for name, _, _ in tools}
cpu = {name: [] for name, _, _ in tools}
server_cpu = {name: [] for name, _, _ in tools}

def backends_cpu():
    # CPU time of the postmaster's exited children (fields cutime, cstime): a backend is reaped when its
    # client disconnects, so the difference around a run is what the server spent on that tool
    fields = open("/proc/%s/stat" % postmaster).read().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")

def run(name, database, command):
    subprocess.run([recreate, database], check=True, stdout=subprocess.DEVNULL)
    time.sleep(0.2)  # let the postmaster reap the backend that re-created the database
    before = backends_cpu()
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("FAIL: %s exited %d during timing" % (name, os.waitstatus_to_exitcode(status)))
    time.sleep(0.2)
    return elapsed, usage.ru_utime + usage.ru_stime, backends_cpu() - before

for round_ in range(warmup + runs):
    order = tools[round_ % 3:] + tools[:round_ % 3]
    line = []
    for name, database, command in order:
        elapsed, used, served = run(name, database, command)
        line.append("%s %.3f s" % (name, elapsed))
        if round_ >= warmup:
            wall[name].append(elapsed)
            cpu[name].append(used)
            server_cpu[name].append(served)
    label = "warm-up" if round_ < warmup else "round %d/%d" % (round_ - warmup + 1, runs)
    print("   %-12s %s" % (label, ", ".join(line)), file=sys.stderr)

mean = {k: statistics.mean(v) for k, v in wall.items()}
sd = {k: statistics.stdev(v) if len(v) > 1 else 0.0 for k, v in wall.items()}
cpu_mean = {k: statistics.mean(v) for k, v in cpu.items()}
server_mean = {k: statistics.mean(v) for k, v in server_cpu.items()}
sw_psql, sw_dm = mean["stepwise"] / mean["psql"], mean["stepwise"] / mean["dbmate"]
# the same ratios round by round (each round ran the tools back to back), as a check on drift
paired_psql = statistics.median(s / p for s, p in zip(wall["stepwise"], wall["psql"]))
paired_dm = statistics.median(s / d for s, d in zip(wall["stepwise"], wall["dbmate"]))
psql_ok, dbmate_ok = sw_psql <= goal, sw_dm < 1.0
verdict = lambda ok: "PASS" if ok else "FAIL"

print("apply-vs-psql-dbmate: %s migrations (%s statements), PostgreSQL %s, %d runs each"
      % (migrations, statements, server.split()[0], runs))
print("  %-9s %9s %9s %9s %9s %11s %11s" % ("tool", "mean s", "stddev s", "min s", "x psql", "client cpu", "server cpu"))
for name, label in (("psql", "psql -1"), ("stepwise", "stepwise"), ("dbmate", "dbmate")):
    print("  %-9s %9.3f %9.3f %9.3f %9.2f %11.3f %11.3f" % (label, mean[name], sd[name], min(wall[name]),
                                                          mean[name] / mean["psql"], cpu_mean[name], server_mean[name]))
print("  stepwise/psql    %.2f (per round, median %.2f)   goal <= %.1f  %s" % (sw_psql, paired_psql, goal, verdict(psql_ok)))
print("  stepwise/dbmate  %.2f (per round, median %.2f)   goal <  1.0  %s   [dbmate %s]"
      % (sw_dm, paired_dm, verdict(dbmate_ok), dbmate_version))
print("  (cpu: mean user + system seconds of the tool's process, and of the server backends that served it)")
ok = psql_ok and dbmate_ok
print("RESULT: " + verdict(ok))
json.dump({"migrations": int(migrations), "statements": int(statements), "lines": int(lines), "postgres": server,
           "dbmate_version": dbmate_version, "runs": runs, "warmup": warmup,
           "mean_s": mean, "stddev_s": sd, "min_s": {k: min(v) for k, v in wall.items()}, "client_cpu_s": cpu_mean, "server_cpu_s": server_mean,
           "samples_s": wall, "ratio_stepwise_psql": sw_psql, "ratio_stepwise_dbmate": sw_dm,
           "paired_median_ratio_stepwise_psql": paired_psql, "paired_median_ratio_stepwise_dbmate": paired_dm,
           "psql_goal": goal, "psql_goal_met": psql_ok, "dbmate_goal_met": dbmate_ok}, open(out, "w"), indent=2)
sys.exit(0 if ok else 1)
PY
