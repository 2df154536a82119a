#!/usr/bin/env bash
# Rewrites each library's PublicAPI.Unshipped.txt from what the code declares, so that a change to the public API
# shows in review as a diff of these files (Microsoft.CodeAnalysis.PublicApiAnalyzers fails the build — RS0016,
# RS0017 — when the code and the files disagree). Run it after an intended API change, then read the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
projects=$(ls src/*/PublicAPI.Shipped.txt | xargs -n1 dirname)
for p in $projects; do
  printf '#nullable enable\n' > "$p/PublicAPI.Unshipped.txt"
done
log=$(mktemp)
dotnet build Stepwise.slnx -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= --no-incremental > "$log" 2>&1 || true
for p in $projects; do
  name=$(basename "$p")
  {
    printf '#nullable enable\n'
    grep -E "warning RS0016: .*\[.*/$name\.csproj\]" "$log" \
      | sed -E "s/.*warning RS0016: Symbol '(.*)' is not part of the declared public API.*/\1/" \
      | sort -u
  } > "$p/PublicAPI.Unshipped.txt"
  echo "$name: $(($(wc -l < "$p/PublicAPI.Unshipped.txt") - 1)) public symbols"
done
rm -f "$log"
