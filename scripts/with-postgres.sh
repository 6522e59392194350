#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL 15 server on 127.0.0.1, then stop and remove it.
#
#   scripts/with-postgres.sh COMMAND [ARGS...]
#
# Installs Debian's postgresql package when no pg_ctl is found (needs root), initdb's a data directory
# owned by `postgres`, starts it on RWH_PG_PORT (default: a free port) with fsync off, creates the role (allowed
# to create databases, for tests that need one of their own, and roles, for the marts reader role) and the
# database, exports the RWH_PG_* / DBT_ENV_SECRET_RWH_PG_PASSWORD variables the project reads, runs the
# command, and stops the server in a trap whatever happens. When the server or the command fails, the server
# log is kept in RWH_PG_LOG (default target/postgres-server.log).
set -euo pipefail

# A free port unless RWH_PG_PORT names one: two runs (or a server of yours on 55432) never collide.
port="${RWH_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
# Where the server log is kept when the server or the command fails (the data directory is removed).
kept_log="${RWH_PG_LOG:-$PWD/target/postgres-server.log}"
user="${RWH_PG_USER:-rwh}"
database="${RWH_PG_DATABASE:-rwh}"
password="${DBT_ENV_SECRET_RWH_PG_PASSWORD:-rwh-local-only}"

find_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin="$(find_bin)"
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
    echo "with-postgres: PostgreSQL not found; installing Debian's postgresql package" >&2
    if [ "$(id -u)" != 0 ]; then
        echo "with-postgres: need root to apt-get install postgresql (or install it yourself)" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
    bin="$(find_bin)"
fi

run_as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

datadir="$(mktemp -d /tmp/rwh-pg.XXXXXX)"
if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$datadir"
fi
chmod 700 "$datadir"

keep_log() {
    mkdir -p "$(dirname "$kept_log")"
    cp "$datadir/server.log" "$kept_log" 2>/dev/null || true
    echo "with-postgres: server log kept in $kept_log; its tail:" >&2
    tail -n 20 "$kept_log" >&2 || true
}

cleanup() {
    run_as_postgres "$bin/pg_ctl" -D "$datadir" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$datadir"
}
trap cleanup EXIT INT TERM

run_as_postgres "$bin/initdb" -D "$datadir" -U postgres --auth=trust -E UTF8 >/dev/null
if ! run_as_postgres "$bin/pg_ctl" -D "$datadir" -w -l "$datadir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off -k $datadir" \
    start >/dev/null; then
    echo "with-postgres: the server did not start on 127.0.0.1:$port" >&2
    keep_log
    exit 1
fi
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') up on 127.0.0.1:$port" >&2

psql_admin=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -q)
"${psql_admin[@]}" -c "create role \"$user\" login createdb createrole password '$password'"
"${psql_admin[@]}" -c "create database \"$database\" owner \"$user\""

export RWH_PG_HOST=127.0.0.1 RWH_PG_PORT="$port" RWH_PG_USER="$user" RWH_PG_DATABASE="$database"
export DBT_ENV_SECRET_RWH_PG_PASSWORD="$password"
status=0
"$@" || status=$?
if [ "$status" != 0 ]; then
    echo "with-postgres: command failed ($status)" >&2
    keep_log
fi
exit "$status"
