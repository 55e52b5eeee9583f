#!/usr/bin/env bash
# Starts (or reuses) the private PostgreSQL cluster under ./.local/ and makes
# sure the named database exists; prints its URL on stdout.
#
#   scripts/pg.sh ensure DBNAME     start the cluster if needed, create DBNAME
#   scripts/pg.sh stop              stop the cluster
#
# The cluster listens on 127.0.0.1 only (port RENCONTRE_PG_PORT, default
# 54329) and trusts local connections: it is a developer's private database.
# initdb refuses to run as root, so as root the server runs as `postgres`,
# which must be able to enter every folder above the cluster's;
# RENCONTRE_PG_DATA puts the cluster elsewhere when it cannot.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
data="${RENCONTRE_PG_DATA:-$root/.local/pgdata}"
port="${RENCONTRE_PG_PORT:-54329}"

source "$root/scripts/pg-programs.sh"

bindir=$(pg_bindir)
if [ -z "$bindir" ]; then
    echo "PostgreSQL's server programs (initdb, pg_ctl) were not found: install them with 'apt-get install postgresql' and run this again." >&2
    exit 1
fi

# As root: the first folder above the cluster's that `postgres` may not
# enter (initdb would only say "Permission denied"), or nothing.
closed_folder() {
    local dir="" part
    local IFS=/
    for part in $(dirname "$data"); do
        [ -n "$part" ] || continue
        dir="$dir/$part"
        [ -d "$dir" ] || return 0
        if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
            echo "$dir"
            return 0
        fi
    done
}

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
            closed=$(closed_folder)
            if [ -n "$closed" ]; then
                rmdir "$data" 2>/dev/null || true
                cat >&2 <<EOF
As root, the private PostgreSQL cluster runs as the 'postgres' user (initdb
refuses root), and 'postgres' cannot enter $closed
(mode $(stat -c %a "$closed"), owner $(stat -c %U "$closed")), above $data.
Do one of these, then run the command again:
  - let it pass through (not list) that folder:  chmod o+x $closed
  - keep the cluster in a folder it can reach:    export RENCONTRE_PG_DATA=/var/tmp/rencontre-pgdata
  - clone the project outside $closed, or work as a user other than root.
EOF
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
