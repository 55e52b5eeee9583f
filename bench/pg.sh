#!/usr/bin/env bash
# The benchmark's own PostgreSQL cluster, apart from the developer's one
# (scripts/pg.sh): its own data folder, its own port, and one fixed set of
# durable settings for every part of a run (the load, pgbench, the exports,
# the mail drain).
#
#   bench/pg.sh start          (re)start the cluster with the settings below
#   bench/pg.sh stop           stop it
#   bench/pg.sh bindir         print the folder of PostgreSQL's programs
#   bench/pg.sh url DBNAME     print a database URL
#
# Port: RENCONTRE_BENCH_PG_PORT (default 54339). Data: .local/bench-pg.
# initdb refuses to run as root, so as root the server runs as `postgres`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/.local/bench-pg"
port="${RENCONTRE_BENCH_PG_PORT:-54339}"

# Durability as shipped (fsync, synchronous_commit and full_page_writes on,
# the default wal_sync_method); the others only make room for 64+ clients,
# keep forced checkpoints out of a 15-minute run, and let the profile see
# statements and WAL flush times.
SETTINGS=(
    -c fsync=on
    -c synchronous_commit=on
    -c full_page_writes=on
    -c max_connections=300
    -c shared_buffers=512MB
    -c max_wal_size=4GB
    -c shared_preload_libraries=pg_stat_statements
    -c pg_stat_statements.track=all
    -c pg_stat_statements.track_utility=on
    -c track_wal_io_timing=on
    -c listen_addresses=127.0.0.1
)

source "$root/scripts/pg-programs.sh"

bindir=$(pg_bindir pgbench)
if [ -z "$bindir" ]; then
    echo "PostgreSQL's server programs (initdb, pg_ctl, pgbench) were not found: install them with 'apt-get install postgresql postgresql-contrib' and run this again." >&2
    exit 1
fi

running() {
    [ -f "$data/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
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
        as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale \
            >"$root/.local/bench-initdb.log" 2>&1 || {
            cat "$root/.local/bench-initdb.log" >&2
            exit 1
        }
    fi
    # Always a fresh start: the settings above are the ones in force, and
    # no earlier run's caches or statistics carry over.
    if running; then
        as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    fi
    as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $data ${SETTINGS[*]}" start >/dev/null || {
        tail -n 20 "$data/server.log" >&2 || true
        echo "PostgreSQL did not start (is port $port taken? set RENCONTRE_BENCH_PG_PORT)." >&2
        exit 1
    }
}

case "${1:-}" in
    start) start ;;
    stop)
        if running; then
            as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
        fi
        ;;
    bindir) echo "$bindir" ;;
    url) echo "postgres://postgres@127.0.0.1:$port/${2:?usage: bench/pg.sh url DBNAME}" ;;
    *)
        echo "usage: bench/pg.sh start | stop | bindir | url DBNAME" >&2
        exit 2
        ;;
esac
