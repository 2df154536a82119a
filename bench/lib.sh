# Shared by the benchmarks (sourced, not run): messages, the NativeAOT stepwise binary, and for the
# PostgreSQL ones the PostgreSQL 15 binaries and a throwaway server on 127.0.0.1 that is stopped and
# deleted on exit, Ctrl-C or failure.
#
#   source bench/lib.sh
#   pg_start backfill <<'EOF'         # a name for the temp folder; stdin: extra postgresql.conf lines
#   shared_buffers = 1GB
#   EOF
#   # now set: PG_BIN PSQL PORT PG_DIR DATA AS_PG SERVER_VERSION
#
# A script that starts background work defines bench_before_cleanup (run first on exit) to stop it.
# KEEP_SERVER=1 leaves the server running and prints how to stop it.

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

# publish_aot PATH: the NativeAOT stepwise binary at PATH (its folder is the publish output); SKIP_PUBLISH=1
# reuses one already there. The CLI project picks a versioned clang (Debian's clang-14 …) by itself.
publish_aot() {
    local binary=$1
    if [ "${SKIP_PUBLISH:-0}" = 1 ] && [ -x "$binary" ]; then
        say "== reusing $binary"
    else
        say "== publishing the stepwise CLI with NativeAOT"
        dotnet publish src/Stepwise.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$(dirname "$binary")" \
            -nologo -v quiet >&2 || die "dotnet publish failed"
    fi
    [ -x "$binary" ] || die "$binary was not produced"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The PostgreSQL 15 server binaries: Debian's postgresql-15 package, else pg_config's bindir if it is 15.
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

PG_STARTED=0

pg_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if declare -F bench_before_cleanup >/dev/null; then bench_before_cleanup || true; fi
    if [ "${KEEP_SERVER:-0}" = 1 ] && [ "$PG_STARTED" = 1 ]; then
        say "== KEEP_SERVER=1: server left running on 127.0.0.1:$PORT (stop: ${AS_PG[*]} $PG_BIN/pg_ctl -D $DATA -m immediate stop)"
        exit "$rc"
    fi
    if [ -n "${DATA:-}" ] && [ -f "$DATA/postmaster.pid" ]; then
        "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w -t 30 -s stop >/dev/null 2>&1 || true
    fi
    [ -z "${PG_DIR:-}" ] || rm -rf "$PG_DIR"
    exit "$rc"
}

pg_start() {
    local name=$1 extra
    extra=$(cat)
    command -v python3 >/dev/null || die "python3 is required (free port)"
    PG_BIN=$(find_pg_bindir) || die "PostgreSQL 15 server binaries not found (apt-get install -y postgresql-15)"
    local tool
    for tool in initdb pg_ctl postgres; do [ -x "$PG_BIN/$tool" ] || die "$PG_BIN/$tool is missing"; done
    # psql: the one next to the server if there is one, else the client on the search path
    PSQL=$PG_BIN/psql
    [ -x "$PSQL" ] || PSQL=$(command -v psql) || die "psql not found (apt-get install -y postgresql-client-15)"

    # PostgreSQL refuses to run as root: then its tools run as the postgres account in a folder it owns.
    AS_PG=()
    if [ "$(id -u)" = 0 ]; then
        id -u postgres >/dev/null 2>&1 || die "running as root and there is no postgres account to run the server as"
        AS_PG=(runuser -u postgres --)
    fi
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/stepwise-bench-$name-XXXXXX")
    DATA=$PG_DIR/data
    trap pg_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    chmod 755 "$PG_DIR"
    [ ${#AS_PG[@]} -eq 0 ] || chown postgres: "$PG_DIR"

    say "== starting a throwaway PostgreSQL 15 server ($PG_BIN)"
    "${AS_PG[@]}" "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync \
        --no-instructions >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    "${AS_PG[@]}" tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# throwaway benchmark server (bench/$name)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
$extra
EOF
    local attempt
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
}
