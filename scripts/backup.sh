#!/usr/bin/env bash
# Dumps the database in PostgreSQL's custom format (pg_dump -Fc) and keeps
# the newest KEEP dumps of that database in the folder.
#
#   scripts/backup.sh [-d DIR] [-k KEEP] [DATABASE_URL]
#
#   DATABASE_URL   the database to dump (default: $DATABASE_URL)
#   -d DIR         where dumps go (default: $RENCONTRE_BACKUP_DIR, else ./backups)
#   -k KEEP        how many dumps of this database to keep (default: 14)
#
# A dump is written under a temporary name, checked with pg_restore --list,
# and only then renamed and older ones removed: a failed run never costs an
# older good dump. Prints the path of the new dump. Restore with
# scripts/restore.sh.
set -euo pipefail

usage() {
    echo "usage: scripts/backup.sh [-d DIR] [-k KEEP] [DATABASE_URL]" >&2
    exit 2
}

dir="${RENCONTRE_BACKUP_DIR:-backups}"
keep=14
while getopts "d:k:h" option; do
    case "$option" in
        d) dir="$OPTARG" ;;
        k) keep="$OPTARG" ;;
        *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -le 1 ] || usage
url="${1:-${DATABASE_URL:-}}"
if [ -z "$url" ]; then
    echo "backup.sh: name the database: DATABASE_URL=postgres://… or an argument." >&2
    exit 2
fi
if ! [[ "$keep" =~ ^[1-9][0-9]*$ ]]; then
    echo "backup.sh: -k wants a whole number of dumps to keep, at least 1 (got '$keep')." >&2
    exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/pg-programs.sh"
pg_dump=$(pg_program pg_dump)
pg_restore=$(pg_program pg_restore)

# The database's name, from the URL's path (without any ?query).
name="${url%%\?*}"
name="${name##*/}"
if ! [[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]]; then
    echo "backup.sh: cannot read a database name from the URL." >&2
    exit 2
fi

mkdir -p "$dir"
stamp=$(date -u +%Y%m%dT%H%M%S.%3NZ)
final="$dir/$name-$stamp.dump"
partial="$final.partial"
trap 'rm -f "$partial"' EXIT
"$pg_dump" --format=custom --file="$partial" --dbname="$url"
"$pg_restore" --list "$partial" >/dev/null
mv "$partial" "$final"
trap - EXIT

# The stamp sorts by time, so the oldest dumps come first.
mapfile -t dumps < <(ls -1 "$dir" | grep -E "^$(printf '%s' "$name" | sed 's/[.]/\\./g')-[0-9]{8}T[0-9]{6}\.[0-9]{3}Z\.dump$" | sort)
excess=$((${#dumps[@]} - keep))
for ((i = 0; i < excess; i++)); do
    rm -f -- "$dir/${dumps[$i]}"
done
echo "$final"
