#!/usr/bin/env bash
# `make test-browser`: the public pages and the back office in a real
# browser (Debian's Chromium driven by playwright-core), against the release
# binary serving a database of its own on a free loopback port.
#
# Installs what it lacks (Chromium with apt-get, the npm packages of
# package-lock.json), so a fresh Debian machine needs only Node.js 20, the
# Rust toolchain and PostgreSQL's packages. Every run starts from an empty
# database `rencontre_browser` in the private cluster of scripts/pg.sh.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here="$root/browser"
cd "$root"

mkdir -p "$root/.local"
started=$SECONDS
step() { printf '== %s (%ds)\n' "$1" "$((SECONDS - started))"; }

# --- Tools --------------------------------------------------------------------

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "test-browser needs Node.js 20 or later with npm on the PATH; neither was found." >&2
    exit 1
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "test-browser needs Node.js 20 or later; this is $(node --version)." >&2
    exit 1
fi

chromium=${RENCONTRE_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    step "installing Debian's chromium"
    if [ "$(id -u)" = 0 ]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        as_root=(sudo -n)
    else
        as_root=(none)
    fi
    if [ "${as_root[0]:-}" = none ] || ! command -v apt-get >/dev/null 2>&1 ||
        ! { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$root/.local/apt-chromium.log" 2>&1 ||
        [ ! -x "$chromium" ]; then
        echo "Chromium ($chromium) is missing and could not be installed with apt-get (needs root or password-less sudo on Debian): run 'apt-get install chromium' as root (apt-get's output, if it ran: .local/apt-chromium.log), then make test-browser again." >&2
        exit 1
    fi
fi

# npm ci wipes node_modules, so it runs only when the lock file changed.
if ! cmp -s "$here/package-lock.json" "$here/node_modules/.rencontre-lock" 2>/dev/null; then
    step "npm ci"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$here/package-lock.json" "$here/node_modules/.rencontre-lock"
fi

# --- Application --------------------------------------------------------------

step "cargo build --release"
${CARGO:-cargo} build --release --quiet
binary="$root/target/release/rencontre"

step "database rencontre_browser"
url=$(scripts/pg.sh ensure rencontre_browser)
psql=$(command -v psql || echo "$(pg_config --bindir)/psql")
# A fresh database for every run: the scenarios count on an untouched demo.
"$psql" -X -q -v ON_ERROR_STOP=1 "${url%/*}/postgres" \
    -c 'DROP DATABASE IF EXISTS rencontre_browser WITH (FORCE)' >/dev/null
url=$(scripts/pg.sh ensure rencontre_browser)

export DATABASE_URL="$url"
unset RENCONTRE_ENV
export RENCONTRE__MAIL__TRANSPORT=log RENCONTRE__HTTP__WORKERS=2
"$binary" migrate >/dev/null
"$binary" demo >/dev/null

# The back office may not exist yet: an organiser is created only when the
# binary knows how, and the organiser scenario skips on a 404 by itself.
organiser_email=browser-organiser@example.org
organiser_password=$(node -e 'console.log(require("crypto").randomBytes(18).toString("base64url"))')
if [ -d "$root/src/web/admin" ]; then
    printf '%s\n' "$organiser_password" |
        "$binary" organiser add "$organiser_email" --name "Browser Test" --role admin --password-stdin >/dev/null
    # The questions scenario sets its event up through the organiser API.
    RENCONTRE_BROWSER_TOKEN=$("$binary" token create "$organiser_email")
    export RENCONTRE_BROWSER_TOKEN
fi

port=$(node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
base="http://127.0.0.1:$port"
log="$root/.local/browser-serve.log"
step "rencontre serve on $base (log: .local/browser-serve.log)"
RENCONTRE__HTTP__BIND="127.0.0.1:$port" RENCONTRE__HTTP__PUBLIC_URL="$base" \
    "$binary" serve >"$log" 2>&1 &
server=$!
stop_server() {
    if kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 100); do
    if node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$base/healthz"; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        tail -n 30 "$log" >&2
        echo "rencontre serve stopped before answering on $base." >&2
        exit 1
    fi
    sleep 0.2
done

# --- Scenarios ----------------------------------------------------------------

step "browser scenarios"
status=0
(
    cd "$here"
    RENCONTRE_BASE_URL="$base" RENCONTRE_CHROMIUM="$chromium" \
        RENCONTRE_ORGANISER_EMAIL="$organiser_email" RENCONTRE_ORGANISER_PASSWORD="$organiser_password" \
        node --test --test-reporter=spec --test-concurrency=1 tests/*.test.js
) || status=$?

if [ -f "$here/screenshots/index.txt" ]; then
    echo
    echo "Screenshots:"
    sed 's/^/  /' "$here/screenshots/index.txt"
fi
step "done, exit $status"
exit "$status"
