# Sourced by scripts/pg.sh, scripts/backup.sh, scripts/restore.sh and bench/pg.sh:
# where PostgreSQL's programs are,
# and how to run them as the cluster's owner.

# pg_bindir PROGRAM...: the newest folder that has initdb, pg_ctl and every
# PROGRAM named (pg_config's first, then Debian's /usr/lib/postgresql/*/bin).
pg_bindir() {
    local dir program found
    local candidates=()
    if command -v pg_config >/dev/null 2>&1; then
        candidates+=("$(pg_config --bindir 2>/dev/null || true)")
    fi
    while IFS= read -r dir; do candidates+=("$dir"); done < <(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r)
    for dir in "${candidates[@]}"; do
        found=yes
        for program in initdb pg_ctl "$@"; do
            [ -x "$dir/$program" ] || { found=no; break; }
        done
        if [ "$found" = yes ]; then echo "$dir"; return; fi
    done
}

# initdb refuses to run as root: as root, the server runs as `postgres`.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# pg_program NAME: the path of one of PostgreSQL's client programs (pg_dump,
# pg_restore, psql), from the PATH or the server's folder; says what to
# install and exits when there is none.
pg_program() {
    if command -v "$1" >/dev/null 2>&1; then
        command -v "$1"
    elif [ -n "$(pg_bindir "$1")" ]; then
        echo "$(pg_bindir "$1")/$1"
    else
        echo "$(basename "$0"): $1 was not found: install it with 'apt-get install postgresql-client'." >&2
        exit 1
    fi
}
