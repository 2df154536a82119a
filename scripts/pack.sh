#!/usr/bin/env bash
# Packs the NuGet packages: the `stepwise` .NET tool and the libraries (with README, XML docs, SourceLink
# and .snupkg symbols; deterministic, CI builds with ContinuousIntegrationBuild when CI=true).
#   scripts/pack.sh [OUT_DIR] [extra dotnet pack arguments…]      (default artifacts/packages)
# Install the tool from the folder: dotnet tool install -g stepwise --add-source OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/packages}
shift || true
dotnet pack Stepwise.slnx -c Release -o "$out" -nologo "$@"
ls -1 "$out"
