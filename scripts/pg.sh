#!/usr/bin/env bash
# Starts (or reuses) the private PostgreSQL cluster under ./.local/ and makes
# sure the named database exists; prints its URL on stdout.
#
#   scripts/pg.sh ensure DBNAME     start the cluster if needed, create DBNAME
#   scripts/pg.sh stop              stop the cluster
#
# The cluster listens on 127.0.0.1 only (port RENCONTRE_PG_PORT, default
# 54329) and trusts local connections: it is a developer's private database.
# initdb refuses to run as root, so as root the server runs as `postgres`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/.local/pgdata"
port="${RENCONTRE_PG_PORT:-54329}"

source "$root/scripts/pg-programs.sh"

bindir=$(pg_bindir)
if [ -z "$bindir" ]; then
    echo "PostgreSQL's server programs (initdb, pg_ctl) were not found: install them with 'apt-get install postgresql' and run this again." >&2
    exit 1
fi

psql_admin() {
    "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"
}

start_cluster() {
    mkdir -p "$root/.local"
    if [ ! -f "$data/PG_VERSION" ]; then
        mkdir -p "$data"
        if [ "$(id -u)" = 0 ]; then
            if ! id postgres >/dev/null 2>&1; then
                echo "Running as root needs the 'postgres' OS user, which the postgresql package creates: install it with 'apt-get install postgresql'." >&2
                exit 1
            fi
            chown postgres: "$data"
        fi
        chmod 700 "$data"
        as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$root/.local/initdb.log" 2>&1 || {
            cat "$root/.local/initdb.log" >&2
            exit 1
        }
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
            -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c max_connections=300" \
            start >/dev/null || {
            tail -n 20 "$data/server.log" >&2 || true
            echo "PostgreSQL did not start (is port $port taken? set RENCONTRE_PG_PORT)." >&2
            exit 1
        }
    fi
}

case "${1:-}" in
    ensure)
        db="${2:?usage: scripts/pg.sh ensure DBNAME}"
        start_cluster
        if [ -z "$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
            psql_admin -c "CREATE DATABASE \"$db\"" >/dev/null
        fi
        echo "postgres://postgres@127.0.0.1:$port/$db"
        ;;
    stop)
        if [ -f "$data/PG_VERSION" ]; then
            as_owner "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
        fi
        ;;
    *)
        echo "usage: scripts/pg.sh ensure DBNAME | stop" >&2
        exit 2
        ;;
esac
