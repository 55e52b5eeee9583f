#!/usr/bin/env bash
# The JSON API against its own OpenAPI document, run by `make test`:
#
#   1. the served document must be valid OpenAPI 3.1 and every example in it
#      valid by its schema (scripts/fuzz-api/check_document.py);
#   2. Schemathesis, a property-based API fuzzer, generates requests from the
#      document (its examples, the boundaries of every constraint, random
#      valid and invalid data, unsupported methods) and checks every answer:
#      no 5xx, only documented status codes, content types and headers,
#      bodies that match their schemas, no request valid by the document
#      refused, no invalid one accepted.
#
# Any finding fails the run. It runs against the debug binary the tests
# built (`rencontre serve` on a free loopback port), on a fresh database
# `rencontre_fuzz` holding the demo event, with an organiser's API token.
# Schemathesis and the validator are installed, at the versions of
# scripts/fuzz-api/requirements.txt, into .local/fuzz-venv when missing.
#
# RENCONTRE_FUZZ_EXAMPLES (default 8) bounds the generated requests per
# operation in the fuzzing phase (the coverage phase sends each boundary of
# the document once); RENCONTRE_FUZZ_SEED (default fixed) makes runs
# repeatable; RENCONTRE_FUZZ_TIME_LIMIT (default 300 s) stops a stuck run.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
here="$root/scripts/fuzz-api"
cd "$root"
mkdir -p "$root/.local"
started=$SECONDS
step() { printf '== fuzz-api: %s (%ds)\n' "$1" "$((SECONDS - started))"; }

# --- Tools --------------------------------------------------------------------

venv="$root/.local/fuzz-venv"
if ! cmp -s "$here/requirements.txt" "$venv/.rencontre-requirements" 2>/dev/null; then
    step "installing Schemathesis into .local/fuzz-venv"
    python=$(command -v python3 || true)
    if [ -z "$python" ] || ! "$python" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
        echo "fuzz-api needs Python 3.10 or later with venv and pip ('apt-get install python3-venv')." >&2
        exit 1
    fi
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" \
        >"$root/.local/fuzz-venv-install.log" 2>&1 || {
        tail -n 20 "$root/.local/fuzz-venv-install.log" >&2
        exit 1
    }
    cp "$here/requirements.txt" "$venv/.rencontre-requirements"
fi

# --- Application --------------------------------------------------------------

step "cargo build (the test build's binary)"
# The build `cargo test` / nextest made: the same features, so nothing is
# compiled again after the test run.
${CARGO:-cargo} test --no-run --quiet 2>/dev/null || ${CARGO:-cargo} test --no-run
binary="$root/target/debug/rencontre"

step "database rencontre_fuzz"
if [ -n "${DATABASE_URL:-}" ]; then
    server_url="${DATABASE_URL%/*}"
else
    server_url=$(scripts/pg.sh ensure postgres)
    server_url="${server_url%/*}"
fi
psql=$(command -v psql || echo "$(pg_config --bindir)/psql")
"$psql" -X -q -v ON_ERROR_STOP=1 "$server_url/postgres" \
    -c 'DROP DATABASE IF EXISTS rencontre_fuzz WITH (FORCE)' -c 'CREATE DATABASE rencontre_fuzz' >/dev/null

export DATABASE_URL="$server_url/rencontre_fuzz"
unset RENCONTRE_ENV
# The fuzzer sends hundreds of registrations from one address: the limit
# would answer most of them 429 and hide what the server does with them.
export RENCONTRE__MAIL__TRANSPORT=log RENCONTRE__HTTP__WORKERS=2 RENCONTRE__LOG__FILTER=warn \
    RENCONTRE__HTTP__REGISTRATIONS_PER_MINUTE=0 RENCONTRE__HTTP__EVENT_CACHE_MS=0
"$binary" migrate >/dev/null
"$binary" demo >/dev/null
organiser_password=$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(18))')
printf '%s\n' "$organiser_password" |
    "$binary" organiser add fuzz-organiser@example.org --name "API fuzzer" --role admin --password-stdin >/dev/null
token=$("$binary" token create fuzz-organiser@example.org)

port=$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
log="$root/.local/fuzz-serve.log"
step "rencontre serve on $base (log: .local/fuzz-serve.log)"
RENCONTRE__HTTP__BIND="127.0.0.1:$port" RENCONTRE__HTTP__PUBLIC_URL="$base" \
    "$binary" serve --no-worker >"$log" 2>&1 &
server=$!
stop_server() {
    if kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 150); do
    if "$venv/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$base/healthz" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        tail -n 30 "$log" >&2
        echo "rencontre serve stopped before answering on $base." >&2
        exit 1
    fi
    sleep 0.2
done

# The event the fuzzer sets up again and again (see schemathesis.toml), and
# two registrations of the demo event: one for the fuzzer to cancel, one to
# read and change.
registrations=$("$venv/bin/python" - "$base" "$token" <<'PYTHON'
import json, sys, urllib.request
base, token = sys.argv[1:]
def post(path, body, headers):
    request = urllib.request.Request(f"{base}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)
event = {"slug": "fuzz-setup", "name": "Set-ups", "starts_on": "2030-01-10", "ends_on": "2030-01-12",
         "timezone": "UTC", "languages": ["en", "fr", "es", "pt"],
         "registration_opens_at": "2029-01-01T00:00:00Z", "registration_closes_at": "2030-01-01T00:00:00Z"}
post("/api/v1/events", event, {"Authorization": f"Bearer {token}"})
for name in ("Cancel", "Change"):
    delegate = {"given_name": name, "family_name": "Fuzz", "email": f"{name.lower()}@fuzz.example.org",
                "country": "SN", "sessions": []}
    print(post("/api/v1/events/dakar-2005/registrations", delegate, {})["manage_url"].rsplit("/", 1)[1])
PYTHON
)
{ read -r cancelled; read -r registration; } <<<"$registrations"

# --- Checks -------------------------------------------------------------------

step "validating the OpenAPI document and its examples"
"$venv/bin/python" "$here/check_document.py" "$base/api/v1/openapi.json"

step "Schemathesis"
# A bound on the whole run, far above its usual minute, so that a server
# that stops answering fails the run instead of holding it.
status=0
RENCONTRE_FUZZ_TOKEN="$token" RENCONTRE_FUZZ_BASE="$base" \
    RENCONTRE_FUZZ_CANCELLED="$cancelled" RENCONTRE_FUZZ_REGISTRATION="$registration" \
    PYTHONPATH="$here" SCHEMATHESIS_HOOKS=hooks \
    timeout --signal=INT --kill-after=10 "${RENCONTRE_FUZZ_TIME_LIMIT:-300}" \
    "$venv/bin/schemathesis" --no-color --config-file "$here/schemathesis.toml" \
    run "$base/api/v1/openapi.json" \
    --max-examples "${RENCONTRE_FUZZ_EXAMPLES:-8}" --seed "${RENCONTRE_FUZZ_SEED:-20261201}" \
    || status=$?
if [ "$status" -eq 124 ]; then
    echo "Schemathesis ran past ${RENCONTRE_FUZZ_TIME_LIMIT:-300} s and was stopped." >&2
fi
if [ "$status" -ne 0 ]; then
    tail -n 20 "$log" >&2
fi
step "done, exit $status"
exit "$status"
