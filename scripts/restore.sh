#!/usr/bin/env bash
# Restores a dump made by scripts/backup.sh into a NEW database, which it
# creates; it never writes into a database that exists already.
#
#   scripts/restore.sh DUMP NEW_DATABASE_URL
#
# The role in NEW_DATABASE_URL becomes the owner of everything restored
# (--no-owner), so a dump restores on another server with other roles. It
# must be allowed to create databases, and the contrib extensions the schema
# uses (unaccent, pg_trgm, btree_gin, all trusted) must be installed on that
# server (Debian: the postgresql package ships them). Then run
# `DATABASE_URL=NEW_DATABASE_URL rencontre check` before pointing the
# application at the copy.
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: scripts/restore.sh DUMP NEW_DATABASE_URL" >&2
    exit 2
fi
dump="$1"
url="$2"
if [ ! -r "$dump" ]; then
    echo "restore.sh: cannot read the dump '$dump'." >&2
    exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/pg-programs.sh"
psql=$(pg_program psql)
pg_restore=$(pg_program pg_restore)

base="${url%%\?*}"
query=""
[ "$base" = "$url" ] || query="?${url#*\?}"
name="${base##*/}"
server="${base%/*}"
if ! [[ "$name" =~ ^[A-Za-z0-9_]+$ ]]; then
    echo "restore.sh: the new database's name must be letters, digits and _ (got '$name')." >&2
    exit 2
fi

"$pg_restore" --list "$dump" >/dev/null || {
    echo "restore.sh: '$dump' is not a dump pg_restore can read." >&2
    exit 1
}
maintenance="$server/postgres$query"
exists=$("$psql" -X -tA -v ON_ERROR_STOP=1 -d "$maintenance" -c "SELECT 1 FROM pg_database WHERE datname = '$name'")
if [ -n "$exists" ]; then
    echo "restore.sh: the database '$name' exists already; restore into a new one (then rename it, or point DATABASE_URL at it)." >&2
    exit 1
fi
"$psql" -X -q -v ON_ERROR_STOP=1 -d "$maintenance" -c "CREATE DATABASE \"$name\"" >/dev/null
# One transaction: a restore that fails leaves an empty database, not half
# of one.
if ! "$pg_restore" --exit-on-error --single-transaction --no-owner --no-privileges \
    --dbname="$url" "$dump"; then
    echo "restore.sh: the restore failed; '$name' was left empty." >&2
    exit 1
fi
echo "Restored $dump into $name."
