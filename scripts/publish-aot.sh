#!/usr/bin/env bash
# Builds the NativeAOT `stepwise` single binary for linux-x64 and writes its SHA-256 beside it:
#   scripts/publish-aot.sh [OUT_DIR]        (default artifacts/aot)
# → OUT_DIR/stepwise-VERSION-linux-x64 and OUT_DIR/stepwise-VERSION-linux-x64.sha256 (`sha256sum -c` reads it).
# Needs clang and zlib headers (Debian: apt-get install clang zlib1g-dev); the CLI project picks a versioned
# clang (clang-14 …) by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

out=${1:-artifacts/aot}
rid=linux-x64
publish_dir=$(mktemp -d)
trap 'rm -rf "$publish_dir"' EXIT

publish_aot "$publish_dir/stepwise"
version=$("$publish_dir/stepwise" --version | cut -d+ -f1)
[ -n "$version" ] || die "the published binary printed no version"

mkdir -p "$out"
name="stepwise-$version-$rid"
cp "$publish_dir/stepwise" "$out/$name"
(cd "$out" && sha256sum "$name" > "$name.sha256")
say "== $out/$name ($(du -h "$out/$name" | cut -f1)), $(cut -d' ' -f1 "$out/$name.sha256")"
echo "$out/$name"
