#!/usr/bin/env bash
# Whole-process benchmark: `stepwise lint` (NativeAOT) against squawk 2.66 on one generated corpus of
# PostgreSQL migrations. Prints size, mean wall time, peak RSS and PASS/FAIL against the goals:
#   stepwise wall time <= squawk wall time, and stepwise peak RSS <= 64 MiB.
#
# Environment knobs:
#   RUNS=10 WARMUP=2     timed runs and warm-up runs per tool
#   MIN_LINES=40000      corpus size;  SEED=42  corpus seed
#   SKIP_PUBLISH=1       reuse bench/out/stepwise/stepwise if it exists
#   SQUAWK_VERSION=2.66.0
# Exit: 0 all goals met, 1 a goal missed or a tool produced no output, 2 setup failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

OUT=bench/out
CORPUS=$OUT/corpus
RUNS=${RUNS:-10}
WARMUP=${WARMUP:-2}
MIN_LINES=${MIN_LINES:-40000}
SEED=${SEED:-42}
SQUAWK_VERSION=${SQUAWK_VERSION:-2.66.0}
MAX_RSS_MIB=64
STEPWISE=$OUT/stepwise/stepwise

source bench/lib.sh

mkdir -p "$OUT"
command -v python3 >/dev/null || die "python3 is required to generate the corpus"

# --- 1. corpus -------------------------------------------------------------------------------------
say "== generating corpus (seed $SEED, >= $MIN_LINES lines) into $CORPUS"
python3 bench/gen_corpus.py --out "$CORPUS" --min-lines "$MIN_LINES" --seed "$SEED" >/dev/null
FILES=$(find "$CORPUS" -name '*.sql' | wc -l)
LINES=$(find "$CORPUS" -name '*.sql' -print0 | xargs -0 cat | wc -l)
[ "$FILES" -gt 0 ] || die "the corpus generator wrote no files"

# --- 2. squawk -------------------------------------------------------------------------------------
NPM_DIR=$OUT/npm
if [ ! -x "$NPM_DIR/node_modules/.bin/squawk" ]; then
    command -v npm >/dev/null || die "npm is required to install squawk-cli"
    say "== installing squawk-cli@$SQUAWK_VERSION into $NPM_DIR"
    npm install --silent --prefix "$NPM_DIR" "squawk-cli@$SQUAWK_VERSION" >&2
fi
# The npm entry point is a node script that spawns the native binary; time the binary itself so
# node's start-up is not charged to squawk.
SQUAWK=$(find "$NPM_DIR/node_modules/@squawk-cli" -path '*/bin/squawk' -type f 2>/dev/null | head -n 1 || true)
[ -n "$SQUAWK" ] && [ -x "$SQUAWK" ] || SQUAWK=$NPM_DIR/node_modules/.bin/squawk
SQUAWK_REPORTED=$("$SQUAWK" --version 2>/dev/null || echo unknown)

# --- 3. stepwise (NativeAOT) -----------------------------------------------------------------------
publish_aot "$STEPWISE"

# The commands compared; both report every finding as JSON on standard output. squawk expands the
# quoted pattern itself (the file list would not fit in one command line).
STEPWISE_CMD=("$STEPWISE" lint --format json "$CORPUS")
SQUAWK_CMD=("$SQUAWK" --reporter json "$CORPUS/*.sql")

# --- 4. sanity: both must produce findings ---------------------------------------------------------
FAILED=0
check_output() { # name file exit-code
    local name=$1 file=$2 rc=$3 bytes
    bytes=$(wc -c <"$file")
    if [ "$rc" -gt 1 ]; then
        say "FAIL: $name exited $rc (an error, not findings): $(head -c 400 "$file.err")"
        FAILED=1
    elif [ "$bytes" -eq 0 ]; then
        say "FAIL: $name printed nothing: $(head -c 400 "$file.err")"
        FAILED=1
    elif ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$file" 2>/dev/null; then
        say "FAIL: $name output is not JSON: $(head -c 200 "$file")"
        FAILED=1
    fi
}
set +e
"${STEPWISE_CMD[@]}" >"$OUT/stepwise.json" 2>"$OUT/stepwise.json.err"; STEPWISE_RC=$?
"${SQUAWK_CMD[@]}" >"$OUT/squawk.json" 2>"$OUT/squawk.json.err"; SQUAWK_RC=$?
set -e
check_output stepwise "$OUT/stepwise.json" "$STEPWISE_RC"
check_output squawk "$OUT/squawk.json" "$SQUAWK_RC"
count_findings() { # a JSON array, or an object with a list of findings somewhere at its top level
    python3 - "$1" <<'PY' 2>/dev/null || echo "?"
import json, sys
d = json.load(open(sys.argv[1]))
if isinstance(d, list):
    print(len(d))
else:
    lists = [v for v in d.values() if isinstance(v, list)] if isinstance(d, dict) else []
    print(max((len(v) for v in lists), default="?"))
PY
}
STEPWISE_FINDINGS=$(count_findings "$OUT/stepwise.json")
SQUAWK_FINDINGS=$(count_findings "$OUT/squawk.json")

# --- 5. wall time ----------------------------------------------------------------------------------
STEPWISE_MEAN=nan STEPWISE_SD=nan SQUAWK_MEAN=nan SQUAWK_SD=nan
if command -v hyperfine >/dev/null; then
    say "== timing with hyperfine ($WARMUP warm-up, $RUNS runs each)"
    quote() { printf '%q ' "$@"; }
    hyperfine --shell=none --ignore-failure --warmup "$WARMUP" --runs "$RUNS" --style basic \
        --export-json "$OUT/hyperfine.json" \
        -n stepwise "$(quote "${STEPWISE_CMD[@]}")" \
        -n squawk "$(quote "${SQUAWK_CMD[@]}")" >&2
    read -r STEPWISE_MEAN STEPWISE_SD SQUAWK_MEAN SQUAWK_SD < <(python3 - "$OUT/hyperfine.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
print(r["stepwise"]["mean"], r["stepwise"]["stddev"] or 0, r["squawk"]["mean"], r["squawk"]["stddev"] or 0)
PY
)
else
    say "== timing with a shell loop ($WARMUP warm-up, $RUNS runs each; install hyperfine for better numbers)"
    time_loop() {
        local i t0 t1 samples=()
        for ((i = 0; i < WARMUP; i++)); do "$@" >/dev/null 2>&1 || true; done
        for ((i = 0; i < RUNS; i++)); do
            t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s.%N)
            samples+=("$(echo "$t1 - $t0" | bc -l 2>/dev/null || python3 -c "print($t1 - $t0)")")
        done
        python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print(statistics.mean(v), statistics.pstdev(v))' "${samples[@]}"
    }
    read -r STEPWISE_MEAN STEPWISE_SD < <(time_loop "${STEPWISE_CMD[@]}")
    read -r SQUAWK_MEAN SQUAWK_SD < <(time_loop "${SQUAWK_CMD[@]}")
fi

# --- 6. peak RSS (the largest of three runs) -------------------------------------------------------
[ -x /usr/bin/time ] || die "/usr/bin/time is missing: apt-get install -y time"
peak_rss_kib() {
    local i kib max=0
    for i in 1 2 3; do
        /usr/bin/time -v "$@" >/dev/null 2>"$OUT/time.txt" || true
        kib=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$OUT/time.txt")
        [ -n "$kib" ] && [ "$kib" -gt "$max" ] && max=$kib
    done
    echo "$max"
}
STEPWISE_RSS_KIB=$(peak_rss_kib "${STEPWISE_CMD[@]}")
SQUAWK_RSS_KIB=$(peak_rss_kib "${SQUAWK_CMD[@]}")

# --- 7. report -------------------------------------------------------------------------------------
python3 - "$FILES" "$LINES" "$STEPWISE_MEAN" "$STEPWISE_SD" "$SQUAWK_MEAN" "$SQUAWK_SD" \
    "$STEPWISE_RSS_KIB" "$SQUAWK_RSS_KIB" "$MAX_RSS_MIB" "$FAILED" "$STEPWISE_FINDINGS" "$SQUAWK_FINDINGS" \
    "$SQUAWK_REPORTED" "$OUT/lint-vs-squawk.json" <<'PY'
import json, math, sys
(files, lines, sw, sw_sd, sq, sq_sd, sw_rss, sq_rss, max_rss, failed, sw_n, sq_n, sq_ver, out) = sys.argv[1:]
sw, sw_sd, sq, sq_sd = float(sw), float(sw_sd), float(sq), float(sq_sd)
sw_mib, sq_mib = int(sw_rss) / 1024, int(sq_rss) / 1024
ratio = sq / sw if sw > 0 and not math.isnan(sw) else float("nan")
output_ok = failed == "0"
wall_ok = output_ok and sw <= sq
rss_ok = output_ok and 0 < sw_mib <= float(max_rss)
verdict = lambda ok: "PASS" if ok else "FAIL"
rows = [
    ("corpus files", files),
    ("corpus lines", lines),
    ("findings (stepwise / squawk)", "%s / %s" % (sw_n, sq_n)),
    ("stepwise mean wall time", "%.3f s (± %.3f)" % (sw, sw_sd)),
    ("squawk mean wall time", "%.3f s (± %.3f)  [%s]" % (sq, sq_sd, sq_ver)),
    ("ratio squawk/stepwise", "%.2f" % ratio),
    ("stepwise peak RSS", "%.1f MiB" % sw_mib),
    ("squawk peak RSS", "%.1f MiB" % sq_mib),
    ("goal: stepwise wall <= squawk", verdict(wall_ok)),
    ("goal: stepwise peak RSS <= %s MiB" % max_rss, verdict(rss_ok)),
]
if not output_ok:
    rows.append(("outputs", "FAIL (a tool printed nothing or failed; see above)"))
print("lint-vs-squawk")
for k, v in rows:
    print("  %-36s %s" % (k, v))
ok = wall_ok and rss_ok
print("RESULT: " + verdict(ok))
json.dump({"files": int(files), "lines": int(lines), "stepwise_mean_s": sw, "squawk_mean_s": sq, "ratio": ratio,
           "stepwise_peak_rss_mib": sw_mib, "squawk_peak_rss_mib": sq_mib, "wall_goal": wall_ok, "rss_goal": rss_ok,
           "outputs_ok": output_ok}, open(out, "w"), indent=2)
sys.exit(0 if ok else 1)
PY
