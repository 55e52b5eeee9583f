#!/usr/bin/env bash
# `make test-package` (run by .ci/run): the Debian package, end to end, the
# way docs/production.md tells a site to run it.
#
#   1. builds the .deb (scripts/deb.sh, reusing the release build) and
#      checks what it holds;
#   2. installs it with `dpkg -i` and checks the user, modes and conffiles
#      it leaves, that installing again keeps the env file, and the units
#      with `systemd-analyze verify` and `security --offline` (hardening);
#   3. creates the role and database the guide creates (in the private
#      cluster of scripts/pg.sh), writes the env file the guide writes, and
#      runs the installed units' own ExecStartPre and ExecStart as the
#      `rencontre` user, without capabilities and with no_new_privs, with a
#      NOTIFY_SOCKET of its own (Type=notify);
#   4. puts nginx with the installed example configuration and a self-signed
#      certificate in front, registers a delegate over HTTPS, reads it back
#      with the first admin's token, checks its email was written and makes
#      a backup with the installed script;
#   5. purges the package and checks what goes (binary, units, /etc) and
#      what stays (database, /var/lib/rencontre, the `rencontre` user).
#
# It needs root (dpkg), as in CI, and refuses to run where a `rencontre`
# package, user or folder exists already. On exit, passed or failed, it
# leaves the machine as it found it: its processes stopped, the package
# purged, the user, group, state folder, role and database removed.
# systemd need not run (CI machines are containers): the units are checked
# offline and their commands run as systemd would run them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started=$SECONDS
step() { printf '== package: %s (%ds)\n' "$1" "$((SECONDS - started))"; }
fail() {
    echo "test-package: $*" >&2
    exit 1
}
expect() { # expect WHAT ACTUAL WANTED
    [ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
}

[ "$(id -u)" = 0 ] || fail "installs a package with dpkg -i, so it needs root (CI runs it as root)."
state=$(dpkg-query -W -f='${db:Status-Status}' rencontre 2>/dev/null || true)
[ -z "$state" ] || [ "$state" = not-installed ] ||
    fail "a rencontre package is on this machine ($state); this test installs and purges its own. Remove it first: dpkg --purge rencontre"
! getent passwd rencontre >/dev/null || fail "a user 'rencontre' exists; this test creates and removes its own."
! getent group rencontre >/dev/null || fail "a group 'rencontre' exists; this test creates and removes its own."
for path in /etc/rencontre /var/lib/rencontre; do
    [ ! -e "$path" ] || fail "$path exists; this test creates and removes its own."
done

# What the test itself uses (curl) and what the package depends on
# (adduser), from Debian when missing.
missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v adduser >/dev/null 2>&1 || missing+=(adduser)
if [ ${#missing[@]} -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    mkdir -p "$root/.local"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq "${missing[@]}" || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }; } \
        >"$root/.local/apt-package-test.log" 2>&1 ||
        fail "could not install ${missing[*]} with apt-get (its output: .local/apt-package-test.log)"
fi

source "$root/scripts/pg-programs.sh"
bindir=$(pg_bindir psql)
[ -n "$bindir" ] || fail "PostgreSQL's programs were not found: apt-get install postgresql"
admin_url=$("$root/scripts/pg.sh" ensure postgres)
psql_at() { # psql_at URL ARGS...
    local url=$1
    shift
    "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d "$url" "$@"
}
psql_admin() { psql_at "$admin_url" "$@"; }
db_port=${admin_url##*:}
db_port=${db_port%%/*}
database=rencontre_package
password="test-$RANDOM$RANDOM"

# The notify socket must be reachable by `rencontre`, which may not enter
# the checkout (root's home folder): a folder of its own under /tmp.
run=$(mktemp -d /tmp/rencontre-package.XXXXXX)
chmod 755 "$run"
pids=()
installed=no
cleanup() {
    local status=$?
    set +e
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    # The user did not exist before this run: any process of it is ours.
    if getent passwd rencontre >/dev/null; then
        for pid in $(ps -o pid= -u rencontre); do
            kill "$pid" 2>/dev/null
        done
        for _ in $(seq 50); do
            [ -z "$(ps -o pid= -u rencontre)" ] && break
            sleep 0.1
        done
    fi
    if [ "$installed" = yes ]; then
        dpkg --purge rencontre >>"$run/dpkg.log" 2>&1
    fi
    if getent passwd rencontre >/dev/null; then userdel rencontre; fi
    if getent group rencontre >/dev/null; then groupdel rencontre; fi
    rm -rf /var/lib/rencontre /etc/rencontre
    psql_admin -c "DROP DATABASE IF EXISTS $database" -c "DROP ROLE IF EXISTS $database" >/dev/null 2>&1
    if [ "$status" != 0 ]; then
        echo "test-package: FAILED; logs kept in .local/package-test/" >&2
        rm -rf "$root/.local/package-test"
        mkdir -p "$root/.local"
        cp -r "$run" "$root/.local/package-test" 2>/dev/null
    fi
    rm -rf "$run"
    exit "$status"
}
trap cleanup EXIT

free_port() {
    perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0)->sockport'
}

# Receives one sd_notify datagram on $1 and writes it to $2, as systemd
# would for a Type=notify unit.
notify_listener() {
    rm -f "$1"
    perl -MSocket -MIO::Socket::UNIX -e '
        my $socket = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => $ARGV[0]) or die "notify socket: $!";
        chmod 0666, $ARGV[0];
        open(my $ready, ">", "$ARGV[1].partial") or die;
        $socket->recv(my $message, 4096);
        print $ready $message;
        close $ready;
        rename "$ARGV[1].partial", $ARGV[1];
    ' "$1" "$2" &
    pids+=($!)
    for _ in $(seq 50); do [ -S "$1" ] && return; sleep 0.1; done
    fail "the notify socket $1 did not appear"
}

# A unit's own setting (the first line of KEY=), so the test runs what the
# installed unit says.
unit_value() { sed -n "s/^$2=//p" "/usr/lib/systemd/system/$1" | head -n 1; }

# Becomes a command as systemd runs the unit's: as User=rencontre without
# capabilities (CapabilityBoundingSet=), with NoNewPrivileges, its
# Environment= and then EnvironmentFile=, in its WorkingDirectory. It
# execs, so that `as_unit … &` leaves in $! the pid of the program itself:
# call it in a subshell or in the background.
as_unit() { # as_unit UNIT NOTIFY_SOCKET COMMAND...
    local unit=$1 socket=$2
    shift 2
    # Environment= is a list of KEY=value words; the sh script is literal.
    # shellcheck disable=SC2046,SC2016
    exec setpriv --reuid=rencontre --regid=rencontre --init-groups --no-new-privs \
        --inh-caps=-all --bounding-set=-all -- \
        env -i PATH=/usr/bin:/bin $(unit_value "$unit" Environment) NOTIFY_SOCKET="$socket" \
        sh -c 'set -a && . "$1" && set +a && cd "$2" && shift 2 && exec "$@"' sh \
        "$(unit_value "$unit" EnvironmentFile)" "$(unit_value "$unit" WorkingDirectory)" "$@"
}

# The first admin's commands, as docs/production.md writes them.
as_rencontre() {
    runuser -u rencontre -- sh -c 'set -a && . /etc/rencontre/env && set +a && exec rencontre "$@"' rencontre "$@"
}

# --- 1. The package -----------------------------------------------------------

step "make deb"
deb=$("$root/scripts/deb.sh" --fast | tail -n 1)
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$run/contents"
for path in /usr/bin/rencontre /etc/rencontre/default.toml /etc/rencontre/production.toml \
    /usr/lib/systemd/system/rencontre.service /usr/lib/systemd/system/rencontre-worker.service \
    /usr/share/rencontre/nginx.example.conf /usr/share/rencontre/scripts/backup.sh \
    /usr/share/doc/rencontre/production.md; do
    grep -qx "$path" "$run/contents" || fail "the package lacks $path"
done
# Secrets are the site's: the package never ships the env file.
! grep -qx /etc/rencontre/env "$run/contents" || fail "the package ships /etc/rencontre/env"
dpkg-deb -I "$deb" conffiles >"$run/conffiles"
for path in /etc/rencontre/default.toml /etc/rencontre/production.toml; do
    grep -qx "$path" "$run/conffiles" || fail "$path is not a conffile"
done

# --- 2. Installed -------------------------------------------------------------

step "dpkg -i"
installed=yes
dpkg -i "$deb" >"$run/dpkg.log" 2>&1 || { cat "$run/dpkg.log" >&2; fail "dpkg -i failed"; }
expect "package state" "$(dpkg-query -W -f='${db:Status-Status}' rencontre)" installed
uid=$(id -u rencontre)
[ "$uid" -lt 1000 ] || fail "rencontre is not a system user (uid $uid)"
expect "rencontre's home" "$(getent passwd rencontre | cut -d: -f6)" /var/lib/rencontre
expect "rencontre's shell" "$(getent passwd rencontre | cut -d: -f7)" /usr/sbin/nologin
expect "/etc/rencontre/env" "$(stat -c '%a %U:%G' /etc/rencontre/env)" "640 root:rencontre"
expect "/var/lib/rencontre" "$(stat -c '%a %U:%G' /var/lib/rencontre)" "750 rencontre:rencontre"
expect "/usr/bin/rencontre" "$(stat -c '%a %U' /usr/bin/rencontre)" "755 root"
/usr/bin/rencontre --version >/dev/null

# The guide: write DATABASE_URL into the env file. Installing again (an
# upgrade) must keep it, its mode and its owner.
sed -i "s|^DATABASE_URL=.*|DATABASE_URL=postgres://$database:$password@127.0.0.1:$db_port/$database|" /etc/rencontre/env
cp /etc/rencontre/env "$run/env.before"
dpkg -i "$deb" >>"$run/dpkg.log" 2>&1 || { cat "$run/dpkg.log" >&2; fail "installing again failed"; }
cmp -s /etc/rencontre/env "$run/env.before" || fail "installing again changed /etc/rencontre/env"
expect "/etc/rencontre/env after installing again" "$(stat -c '%a %U:%G' /etc/rencontre/env)" "640 root:rencontre"

units=(/usr/lib/systemd/system/rencontre.service /usr/lib/systemd/system/rencontre-worker.service)
if command -v systemd-analyze >/dev/null 2>&1; then
    step "systemd-analyze verify and security"
    systemd-analyze verify "${units[@]}" >"$run/verify.log" 2>&1 ||
        { cat "$run/verify.log" >&2; fail "systemd-analyze verify found problems"; }
    for unit in "${units[@]}"; do
        systemd-analyze security --offline=yes --threshold=20 "$unit" >"$run/security.log" 2>&1 ||
            { tail -n 5 "$run/security.log" >&2; fail "$unit: exposure above 2.0 (systemd-analyze security; --threshold counts tenths)"; }
        systemd-analyze security --offline=yes --json=short "$unit" >"$run/security.json"
        for setting in NoNewPrivileges= ProtectSystem= PrivateTmp= ProtectHome= PrivateDevices= \
            "CapabilityBoundingSet=~CAP_SYS_ADMIN" RestrictSUIDSGID= MemoryDenyWriteExecute= \
            "SystemCallFilter=~@privileged"; do
            grep -qF "{\"set\":true,\"name\":\"$setting\"" "$run/security.json" ||
                fail "$unit: systemd-analyze security does not report $setting as set"
        done
        # No capability at all: not one of the capability checks fails.
        ! grep -qF '{"set":false,"name":"CapabilityBoundingSet=' "$run/security.json" ||
            fail "$unit: a capability is left in CapabilityBoundingSet"
        # The one place it may write.
        expect "$unit ReadWritePaths" "$(unit_value "${unit##*/}" ReadWritePaths)" ""
        expect "$unit StateDirectory" "$(unit_value "${unit##*/}" StateDirectory)" rencontre
    done
else
    echo "   systemd-analyze is missing: unit files not verified" >&2
fi

# --- 3. Database and env file, then the unit's commands -----------------------

step "database and env file, as the guide says"
PGOPTIONS="-c client_min_messages=warning" psql_admin -c "DROP DATABASE IF EXISTS $database" -c "DROP ROLE IF EXISTS $database" >/dev/null
psql_admin -c "CREATE ROLE $database LOGIN PASSWORD '$password'" -c "CREATE DATABASE $database OWNER $database" >/dev/null
app_port=$(free_port)
https_port=$(free_port)
http_port=$(free_port)
# Only what a test machine needs on top of the guide: ports that are free
# here, and the file transport instead of a relay (production.toml's
# mail.file_dir, in the state folder).
cat >>/etc/rencontre/env <<EOF
RENCONTRE__HTTP__BIND=127.0.0.1:$app_port
RENCONTRE__HTTP__PUBLIC_URL=https://localhost:$https_port
RENCONTRE__MAIL__TRANSPORT=file
RENCONTRE__MAIL__POLL_INTERVAL_MS=200
EOF

step "ExecStartPre and ExecStart of rencontre.service"
read -r -a pre <<<"$(unit_value rencontre.service ExecStartPre)"
read -r -a start <<<"$(unit_value rencontre.service ExecStart)"
(as_unit rencontre.service "" "${pre[@]}") >"$run/migrate.log" 2>&1 ||
    { cat "$run/migrate.log" >&2; fail "ExecStartPre (${pre[*]}) failed"; }
as_rencontre demo >"$run/demo.log" 2>&1 || { cat "$run/demo.log" >&2; fail "rencontre demo failed"; }
grep -q "never in production" "$run/demo.log" || fail "the demo organiser was not withheld under production: $(cat "$run/demo.log")"
notify_listener "$run/notify" "$run/ready"
as_unit rencontre.service "$run/notify" "${start[@]}" >"$run/serve.log" 2>&1 &
serve=$!
pids+=("$serve")
for _ in $(seq 300); do
    [ -f "$run/ready" ] && break
    kill -0 "$serve" 2>/dev/null || { cat "$run/serve.log" >&2; fail "serve stopped before it was ready"; }
    sleep 0.1
done
[ -f "$run/ready" ] || fail "serve sent no READY=1 in 30 s"
grep -qx "READY=1" "$run/ready" || fail "serve notified '$(cat "$run/ready")', not READY=1"
# Ready means serving: the very next request is answered.
expect "/healthz right after READY=1" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$app_port/healthz")" 200
# The process itself: the installed binary, as rencontre, unprivileged.
expect "serve's program" "$(readlink "/proc/$serve/exe")" /usr/bin/rencontre
expect "serve's user" "$(awk '/^Uid:/ {print $2 "," $3}' "/proc/$serve/status")" "$uid,$uid"
expect "serve's capability bounding set" "$(awk '/^CapBnd:/ {print $2}' "/proc/$serve/status")" 0000000000000000
expect "serve's no_new_privs" "$(awk '/^NoNewPrivs:/ {print $2}' "/proc/$serve/status")" 1

# --- 4. Behind nginx, over HTTPS ----------------------------------------------

step "nginx with the installed example configuration"
nginx=$("$root/scripts/nginx.sh")
openssl req -x509 -days 1 -subj /CN=localhost -addext subjectAltName=DNS:localhost \
    -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -keyout "$run/key.pem" -out "$run/certificate.pem" 2>"$run/openssl.log" ||
    { cat "$run/openssl.log" >&2; fail "openssl could not make a certificate"; }
# Only its ports, paths and certificate change (as in tests/it/proxy.rs).
rewrite() { # rewrite FROM TO: FROM must appear exactly once
    [ "$(grep -cF -- "$1" "$run/nginx.conf")" = 1 ] || fail "the example nginx.conf has no single '$1'"
    FROM=$1 TO=$2 perl -0pi -e 's/\Q$ENV{FROM}\E/$ENV{TO}/' "$run/nginx.conf"
}
cp /usr/share/rencontre/nginx.example.conf "$run/nginx.conf"
rewrite "pid /run/nginx.pid;" "pid $run/nginx.pid;"
rewrite "error_log /var/log/nginx/error.log warn;" "error_log $run/error.log warn;"
rewrite "access_log /var/log/nginx/access.log;" "access_log $run/access.log; client_body_temp_path $run/body; proxy_temp_path $run/proxy; fastcgi_temp_path $run/fastcgi; uwsgi_temp_path $run/uwsgi; scgi_temp_path $run/scgi;"
rewrite "listen 80;" "listen 127.0.0.1:$http_port;"
rewrite "listen [::]:80;" ""
rewrite "listen 443 ssl;" "listen 127.0.0.1:$https_port ssl;"
rewrite "listen [::]:443 ssl;" ""
rewrite "server 127.0.0.1:8080;" "server 127.0.0.1:$app_port;"
rewrite "/etc/letsencrypt/live/inscription.example.org/fullchain.pem" "$run/certificate.pem"
rewrite "/etc/letsencrypt/live/inscription.example.org/privkey.pem" "$run/key.pem"
"$nginx" -p "$run" -e "$run/error.log" -c "$run/nginx.conf" -t >"$run/nginx-t.log" 2>&1 ||
    { cat "$run/nginx-t.log" >&2; fail "nginx -t refused the configuration"; }
"$nginx" -p "$run" -e "$run/error.log" -c "$run/nginx.conf" -g 'daemon off; master_process off;' </dev/null &
pids+=($!)
https() { curl -sS --cacert "$run/certificate.pem" --resolve "localhost:$https_port:127.0.0.1" "$@"; }
for _ in $(seq 100); do
    https -o /dev/null "https://localhost:$https_port/healthz" 2>/dev/null && break
    sleep 0.1
done

step "a delegate registers over HTTPS"
expect "plain HTTP" "$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/events/dakar-2005")" \
    "301 https://127.0.0.1/events/dakar-2005"
https -D "$run/page.headers" -o "$run/page.html" "https://localhost:$https_port/events/dakar-2005"
grep -q "^HTTP/1.1 200" "$run/page.headers" || fail "the event page: $(head -n 1 "$run/page.headers")"
grep -qi "^strict-transport-security: max-age=31536000" "$run/page.headers" || fail "no HSTS from nginx"
code=$(https -o "$run/registration.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"given_name": "Aminata", "family_name": "Traoré", "email": "a.traore@example.org", "country": "ML", "language": "fr", "sessions": ["A3"]}' \
    "https://localhost:$https_port/api/v1/events/dakar-2005/registrations")
expect "POST registrations over HTTPS ($(cat "$run/registration.json"))" "$code" 201
# public_url names the proxy's https address; the link of the email too.
grep -q "\"manage_url\":\"https://localhost:$https_port/r/" "$run/registration.json" ||
    fail "manage_url is not under the public https URL: $(cat "$run/registration.json")"

step "the first admin reads it back"
as_rencontre organiser add admin@example.org --name "Site admin" --role admin --password-stdin \
    <<<"a long passphrase for the test" >"$run/admin.log" 2>&1 || { cat "$run/admin.log" >&2; fail "organiser add failed"; }
token=$(as_rencontre token create admin@example.org --expires-in 1h 2>"$run/token.log" | tail -n 1)
https -H "Authorization: Bearer $token" -o "$run/list.json" "https://localhost:$https_port/api/v1/events/dakar-2005/registrations"
grep -q '"total":1[,}]' "$run/list.json" || fail "the admin's list: $(head -c 300 "$run/list.json")"
grep -q 'a.traore@example.org' "$run/list.json" || fail "the admin's list lacks the delegate"

step "the confirmation is written by rencontre into the state folder"
for _ in $(seq 100); do
    [ -n "$(find /var/lib/rencontre/mail -name '*.eml' 2>/dev/null)" ] && break
    sleep 0.1
done
email=$(find /var/lib/rencontre/mail -name '*.eml' | head -n 1)
[ -n "$email" ] || fail "no email in /var/lib/rencontre/mail after 10 s: $(tail -n 5 "$run/serve.log")"
expect "the email's owner" "$(stat -c %U "$email")" rencontre
grep -q "a.traore@example.org" "$email" || fail "the email is not the delegate's"
https -H "Authorization: Bearer $token" -o "$run/emails.json" "https://localhost:$https_port/api/v1/events/dakar-2005/emails"
grep -q '"status":"sent"' "$run/emails.json" || fail "the outbox does not say sent: $(head -c 300 "$run/emails.json")"
as_rencontre check >"$run/check.log" 2>&1 || { cat "$run/check.log" >&2; fail "rencontre check failed"; }

step "a backup with the installed script"
runuser -u rencontre -- sh -c 'set -a && . /etc/rencontre/env && exec /usr/share/rencontre/scripts/backup.sh -d /var/lib/rencontre/backups' \
    >"$run/backup.log" 2>&1 || { cat "$run/backup.log" >&2; fail "backup.sh failed"; }
[ -n "$(find /var/lib/rencontre/backups -name "$database-*.dump")" ] || fail "backup.sh wrote no dump"

step "SIGTERM: serve stops cleanly"
kill -TERM "$serve"
status=0
wait "$serve" || status=$?
expect "serve's exit status after SIGTERM" "$status" 0

step "rencontre-worker.service notifies and stops too"
read -r -a worker <<<"$(unit_value rencontre-worker.service ExecStart)"
expect "the worker unit's command" "${worker[*]}" "/usr/bin/rencontre worker"
notify_listener "$run/notify" "$run/worker-ready"
as_unit rencontre-worker.service "$run/notify" "${worker[@]}" >"$run/worker.log" 2>&1 &
worker_pid=$!
pids+=("$worker_pid")
for _ in $(seq 100); do [ -f "$run/worker-ready" ] && break; sleep 0.1; done
grep -qx "READY=1" "$run/worker-ready" 2>/dev/null || { cat "$run/worker.log" >&2; fail "the worker sent no READY=1"; }
kill -TERM "$worker_pid"
status=0
wait "$worker_pid" || status=$?
expect "the worker's exit status after SIGTERM" "$status" 0

# --- 5. Purged ----------------------------------------------------------------

step "dpkg --purge"
dpkg --purge rencontre >>"$run/dpkg.log" 2>&1 || { cat "$run/dpkg.log" >&2; fail "dpkg --purge failed"; }
installed=no
state=$(dpkg-query -W -f='${db:Status-Status}' rencontre 2>/dev/null || true)
[ -z "$state" ] || [ "$state" = not-installed ] || fail "after purge the package is '$state'"
# Gone: the program, its units, its shared files and the whole of
# /etc/rencontre, the env file with its secrets included.
for path in /usr/bin/rencontre "${units[@]}" /usr/share/rencontre /etc/rencontre; do
    [ ! -e "$path" ] || fail "$path is still there after purge"
done
# Stays: the data. The database was never the package's; /var/lib/rencontre
# may hold a site's backups and saved emails, and its owner stays with it.
getent passwd rencontre >/dev/null || fail "the rencontre user went with the purge"
[ -f "$email" ] || fail "the saved email went with the purge"
[ -n "$(find /var/lib/rencontre/backups -name "$database-*.dump")" ] || fail "the backup went with the purge"
expect "registrations kept in the database" \
    "$(psql_at "${admin_url%/*}/$database" -tA -c 'SELECT count(*) FROM registrations')" 1

step "passed"
