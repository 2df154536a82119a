#!/usr/bin/env bash
# Runs every test. The suite needs, besides the .NET SDK: libpg_query (the real PostgreSQL parser, used as a
# test oracle), MariaDB server binaries, PostgreSQL 15 server binaries, and the SARIF 2.1.0 JSON schema.
# As root on Debian this script installs what is missing; otherwise it says what to install.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
dpkg -s libpg-query-dev >/dev/null 2>&1 || missing+=(libpg-query-dev)
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ] || dpkg -s postgresql-15 >/dev/null 2>&1 || missing+=(postgresql-15)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "test.sh: please install: ${missing[*]} (sudo apt-get install -y ${missing[*]})" >&2
    exit 2
  fi
fi

if [ -z "${STEPWISE_SARIF_SCHEMA:-}" ]; then
  STEPWISE_SARIF_SCHEMA="$(bash tests/setup-sarif-schema.sh)"
  export STEPWISE_SARIF_SCHEMA
fi

dotnet test Stepwise.slnx "$@"
