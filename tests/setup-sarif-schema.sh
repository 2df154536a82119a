#!/usr/bin/env bash
# Installs the OASIS SARIF 2.1.0 JSON schema (draft-07) that the report tests validate against, and
# prints its path. The schema is not kept in this repository: it comes from a pinned npm package that
# ships it (@datadog/datadog-ci 2.48.0, Apache-2.0, dist/commands/sarif/json-schema/), checked by hash.
#
#   usage: tests/setup-sarif-schema.sh [DIR]      (default DIR: /opt/stepwise-test/sarif)
#   then:  export STEPWISE_SARIF_SCHEMA="$(tests/setup-sarif-schema.sh)"
set -euo pipefail

dir="${1:-/opt/stepwise-test/sarif}"
schema="$dir/sarif-schema-2.1.0.json"
package="@datadog/datadog-ci@2.48.0"
inner="package/dist/commands/sarif/json-schema/sarif-schema-2.1.0.json"
sha256="10666d46649b52e262001e70d43e6c52f7c0279ca3dbdfe9a7dc2e4071556454"

if [ -f "$schema" ] && echo "$sha256  $schema" | sha256sum --check --status; then
    echo "$schema"
    exit 0
fi

command -v npm >/dev/null || { echo "setup-sarif-schema: npm is required (apt-get install npm)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# npm pack checks the registry's integrity hash; no install scripts run and no dependencies are fetched
(cd "$work" && npm pack "$package" --silent >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" "$inner"
if ! echo "$sha256  $work/$inner" | sha256sum --check --status; then
    echo "setup-sarif-schema: $package did not ship the expected schema (sha256 mismatch)" >&2
    exit 1
fi

mkdir -p "$dir"
cp "$work/$inner" "$schema"
echo "$schema"
