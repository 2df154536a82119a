#!/usr/bin/env bash
# The lint step of the Stepwise GitHub Action (action.yml), kept here so it can be run and tested outside
# GitHub. It lints the migration folder (every migration, so earlier ones are replayed into the schema) and
# reports the findings of the migrations this pull request or push changed:
#   - workflow annotations (::error file=…) for those findings, which GitHub shows on the pull request;
#   - the report in STEPWISE_FORMAT in the log (markdown also goes to the job summary);
#   - a SARIF file of the whole folder for code scanning when STEPWISE_SARIF names one;
#   - outputs changed, errors and warnings in $GITHUB_OUTPUT;
# and fails when a changed migration has a finding at STEPWISE_FAIL_LEVEL (error, warning or none).
#
# Environment: STEPWISE_PATH (default migrations), STEPWISE_FORMAT (text), STEPWISE_CONFIG, STEPWISE_DIALECT,
# STEPWISE_FAIL_LEVEL (error), STEPWISE_SARIF, STEPWISE_BASE (a commit; default from the event),
# STEPWISE_BIN (default stepwise); GitHub's GITHUB_EVENT_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY.
# Changed files: the pull request's base commit (pull_request.base.sha) or the push's `before` against
# HEAD. With no event, or a base commit the clone does not have, every migration counts as changed.
set -uo pipefail

path=${STEPWISE_PATH:-migrations}
format=${STEPWISE_FORMAT:-text}
fail_level=${STEPWISE_FAIL_LEVEL:-error}
bin=${STEPWISE_BIN:-stepwise}

case "$fail_level" in
  error|warning|none) ;;
  *) echo "stepwise action: fail-level must be error, warning or none, not '$fail_level'" >&2; exit 2 ;;
esac

args=("$path")
[ -n "${STEPWISE_CONFIG:-}" ] && args+=(--config "$STEPWISE_CONFIG")
[ -n "${STEPWISE_DIALECT:-}" ] && args+=(--dialect "$STEPWISE_DIALECT")

output() { [ -n "${GITHUB_OUTPUT:-}" ] && echo "$1=$2" >> "$GITHUB_OUTPUT"; return 0; }

# --- the base commit: explicit, else from the event payload ---
base=${STEPWISE_BASE:-}
if [ -z "$base" ] && [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
  read_event='import json,sys
e = json.load(open(sys.argv[1]))
pr = e.get("pull_request") or {}
print((pr.get("base") or {}).get("sha") or e.get("before") or "")'
  if command -v python3 >/dev/null; then
    base=$(python3 -c "$read_event" "$GITHUB_EVENT_PATH" 2>/dev/null || true)
  elif command -v jq >/dev/null; then
    base=$(jq -r '.pull_request.base.sha // .before // ""' "$GITHUB_EVENT_PATH" 2>/dev/null || true)
  fi
fi
# a new branch's push has before = 0000…
[[ "$base" =~ ^0+$ ]] && base=""
if [ -n "$base" ] && ! git cat-file -e "$base^{commit}" 2>/dev/null; then
  git fetch --no-tags --quiet --depth=1 origin "$base" 2>/dev/null || true
fi

# --- the changed migration files (paths as stepwise prints them: relative to the working directory) ---
changed_list=$(mktemp)
trap 'rm -f "$changed_list" "${report:-}"' EXIT
if [ -n "$base" ] && git cat-file -e "$base^{commit}" 2>/dev/null; then
  prefix=$(git rev-parse --show-prefix)
  git diff --name-only --diff-filter=ACMR "$base" HEAD -- "$path" | while IFS= read -r f; do
    echo "${f#"$prefix"}"
  done > "$changed_list"
  echo "stepwise: migrations changed since ${base:0:12}: $(grep -c . "$changed_list" || true)"
else
  [ -n "$base" ] && echo "stepwise: base commit $base is not in this clone (checkout with fetch-depth: 0); linting every migration"
  if [ -d "$path" ]; then
    find "$path" -type f | sed 's|^\./||' > "$changed_list"
  else
    echo "$path" > "$changed_list"
  fi
fi
changed=$(grep -c . "$changed_list" || true)
output changed "$changed"
if [ "$changed" = 0 ]; then
  echo "stepwise: no migration changed under $path"
  output errors 0
  output warnings 0
  exit 0
fi

# --- annotations for the changed files, and the counts that decide the exit code ---
report=$(mktemp)
"$bin" lint "${args[@]}" --format github > "$report"
rc=$?
if [ "$rc" -ge 2 ]; then
  cat "$report"
  echo "stepwise: lint could not run (exit $rc)" >&2
  exit "$rc"
fi

errors=0
warnings=0
while IFS= read -r line; do
  [[ "$line" =~ ^::(error|warning|notice)\ file=([^,]*), ]] || continue
  file=${BASH_REMATCH[2]//%2C/,}
  file=${file//%3A/:}
  file=${file//%25/%}
  file=${file#./}
  # a finding of an unchanged migration is not this change's; one of the folder itself (its layout) is
  if ! grep -qxF -- "$file" "$changed_list" && [ -f "$file" ]; then continue; fi
  echo "$line"
  case "${BASH_REMATCH[1]}" in
    error) errors=$((errors + 1)) ;;
    warning) warnings=$((warnings + 1)) ;;
  esac
done < "$report"
output errors "$errors"
output warnings "$warnings"

# --- the report for people, and SARIF for code scanning ---
if [ "$format" != github ]; then
  if [ "$format" = markdown ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    "$bin" lint "${args[@]}" --format markdown | tee -a "$GITHUB_STEP_SUMMARY"
  else
    "$bin" lint "${args[@]}" --format "$format"
  fi
fi
if [ -n "${STEPWISE_SARIF:-}" ]; then
  "$bin" lint "${args[@]}" --format sarif > "$STEPWISE_SARIF"
  output sarif "$STEPWISE_SARIF"
fi

echo "stepwise: changed migrations: $errors error(s), $warnings warning(s) (fail level: $fail_level)"
case "$fail_level" in
  error) [ "$errors" -eq 0 ] ;;
  warning) [ $((errors + warnings)) -eq 0 ] ;;
  none) true ;;
esac
